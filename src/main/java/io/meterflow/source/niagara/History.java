package io.meterflow.source.niagara;

import java.util.List;

/**
 * Rows of one history of a station, as one payload delivered them. {@code historyId} is as sent
 * (escaped); {@code unit} as the payload names it (null: none).
 */
public record History(String station, String historyId, List<HistoryRow> rows, String unit) {

    /** A history whose payload names no unit. */
    public History(String station, String historyId, List<HistoryRow> rows) {
        this(station, historyId, rows, null);
    }
}
