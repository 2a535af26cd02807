package io.meterflow.fuzz;

import io.meterflow.series.Sample;
import io.meterflow.source.niagara.HistoryRow;
import java.time.Instant;
import java.util.List;

/** What every parser's output must satisfy, whatever its input. */
final class Invariants {

    /** Timestamps parsers may produce: years 1970 to 9999 (UTC). */
    static final long EARLIEST = Instant.parse("1970-01-01T00:00:00Z").toEpochMilli();

    static final long LATEST = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    private Invariants() {}

    /** A stored value: finite and within ±{@link Sample#MAX_MAGNITUDE}. */
    static void usable(double value, String where) {
        if (!Sample.usable(value)) {
            throw new AssertionError(where + ": unusable value " + value + " passed the parser");
        }
    }

    /** A value cell: empty (NaN) or usable. */
    static void emptyOrUsable(double value, String where) {
        if (!Double.isNaN(value)) {
            usable(value, where);
        }
    }

    static void sane(long epochMillis, String where) {
        if (epochMillis < EARLIEST || epochMillis > LATEST) {
            throw new AssertionError(where + ": timestamp " + epochMillis + " out of range");
        }
    }

    /** Rows of a Niagara history: sane instants, usable values. */
    static void usableRows(List<HistoryRow> rows, String where) {
        for (HistoryRow r : rows) {
            sane(r.millis(), where);
            usable(r.value(), where);
        }
    }

    /** A rejection must say why. */
    static void hasReason(Exception rejection) {
        if (rejection.getMessage() == null || rejection.getMessage().isBlank()) {
            throw new AssertionError("a rejection without a reason", rejection);
        }
    }
}
