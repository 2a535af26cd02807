package io.meterflow.source.niagara;

/** One history record: epoch millis, value and the Niagara status bits (0 = ok, see {@link NiagaraStatus}). */
public record HistoryRow(long millis, double value, int status) {}
