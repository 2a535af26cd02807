package io.meterflow.source.niagara;

/**
 * One history record: epoch millis, value and the Niagara status bits (0 = ok, see
 * {@link NiagaraStatus}; {@link #NO_STATUS} where the payload carries none, as oBIX records and
 * {@code [timestamp, value]} rows do).
 */
public record HistoryRow(long millis, double value, int status) {

    /** The status of a record that came without one: no status sample is stored for it. */
    public static final int NO_STATUS = -1;

    /** A record without status. */
    public HistoryRow(long millis, double value) {
        this(millis, value, NO_STATUS);
    }
}
