package io.meterflow.series;

import java.util.Locale;

/** How a signal aggregates when it is resampled. */
public enum SignalKind {
    /** An analog reading (power, voltage, power factor): time mean. */
    GAUGE,
    /** A cumulative energy register ({@code *_ae}): last snapshot, interval energy by reset-safe differences. */
    COUNTER,
    /** Energy per interval (Eniscope {@code E}): sum. */
    INTERVAL,
    /** An alarm, flag or error code: max (any activation). */
    ALARM,
    /** A peak-holding signal ({@code *_max_*}): max. */
    MAX,
    /** A trough-holding signal ({@code *_min_*}): min. */
    MIN;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SignalKind parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "unknown signal kind '" + text + "' (expected one of gauge, counter, interval, alarm, max, min)");
        }
    }
}
