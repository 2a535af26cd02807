package io.meterflow.export;

import java.time.Duration;

/** The largest ranges an export may cover: one for {@code 1sec}, one for everything else. */
public record ExportLimits(Duration maxRange, Duration maxRangeAtOneSecond) {}
