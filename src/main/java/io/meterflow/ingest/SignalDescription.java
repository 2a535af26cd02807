package io.meterflow.ingest;

import io.meterflow.series.SignalKind;

/**
 * What a source knows of one signal besides its name: its unit as stored (null: none named), the
 * kind its data shows (null: nothing; see {@link io.meterflow.series.SignalKindRules}) and the name
 * to show (null: the signal's own).
 */
public record SignalDescription(String unit, SignalKind kindEvidence, String displayName) {}
