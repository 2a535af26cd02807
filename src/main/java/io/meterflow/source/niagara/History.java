package io.meterflow.source.niagara;

import java.util.List;

/** Rows of one history of a station, as one payload delivered them. {@code historyId} is as sent (escaped). */
public record History(String station, String historyId, List<HistoryRow> rows) {}
