package io.meterflow.export;

import java.time.Duration;

/**
 * The largest export: its range (one limit for {@code 1sec}, one for everything else) and the
 * number of meters in one composite.
 */
public record ExportLimits(Duration maxRange, Duration maxRangeAtOneSecond, int maxMeters) {}
