package io.meterflow.export;

import io.meterflow.series.Aggregation;

/**
 * Whose rules a composite-CSV request follows: the old services' clients call Meterflow without
 * knowing it, so each endpoint answers like the service it replaces unless the request asks for
 * more ({@code aggregation}, {@code include_empty}).
 *
 * <ul>
 *   <li>{@link #CSV_SERVER} ({@code POST /generate_csv}): the mean of every column and no extra
 *       columns, and a range without data is an error ({@code NO_DATA}), as the pandas CSV server;
 *   <li>{@link #EXPORT_SERVICE} ({@code POST /api/export/csv}): ranges end in the past and last at
 *       least a minute, an unknown meter is {@code SMART_METER_NOT_FOUND}, as the FastAPI export
 *       service; counters get their {@code _delta} columns ({@code auto});
 *   <li>{@link #SCHEDULE}: scheduled exports and the engine's own tools, as configured.
 * </ul>
 */
public enum ClientContract {
    CSV_SERVER(Aggregation.MEAN, false, false),
    EXPORT_SERVICE(Aggregation.AUTO, true, true),
    SCHEDULE(Aggregation.AUTO, true, false);

    private final Aggregation defaultAggregation;
    private final boolean includeEmptyByDefault;
    private final boolean pastRangesOnly;

    ClientContract(Aggregation defaultAggregation, boolean includeEmptyByDefault, boolean pastRangesOnly) {
        this.defaultAggregation = defaultAggregation;
        this.includeEmptyByDefault = includeEmptyByDefault;
        this.pastRangesOnly = pastRangesOnly;
    }

    /** The aggregation of a request that names none. */
    public Aggregation defaultAggregation() {
        return defaultAggregation;
    }

    /** Whether a range without data is still a CSV (of empty rows) when the request does not say. */
    public boolean includeEmptyByDefault() {
        return includeEmptyByDefault;
    }

    /** Whether the range must lie in the past and last at least a minute. */
    public boolean pastRangesOnly() {
        return pastRangesOnly;
    }

    /** The code of an unknown meter. */
    public String meterNotFoundCode() {
        return this == EXPORT_SERVICE ? "SMART_METER_NOT_FOUND" : "METER_NOT_FOUND";
    }
}
