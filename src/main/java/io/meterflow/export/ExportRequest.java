package io.meterflow.export;

import io.meterflow.series.Aggregation;
import io.meterflow.series.Meter;
import io.meterflow.series.Resolution;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * A validated composite-CSV request: meters, the inclusive range {@code [start, end]}, the bins and
 * how to fill them. {@code baseName} starts the file name; {@code includeEmpty}: a range without
 * any data is still a CSV (of empty rows) rather than a {@code NO_DATA} error.
 */
public record ExportRequest(
        List<Meter> meters,
        Instant start,
        Instant end,
        Resolution resolution,
        Aggregation aggregation,
        ZoneId zone,
        String baseName,
        boolean includeEmpty) {

    /** The first bin of the grid. */
    public Instant firstBin() {
        return resolution.floor(start, zone);
    }

    /** The end of the last bin: the bin holding {@code end} is the last one. */
    public Instant endExclusive() {
        return resolution.next(resolution.floor(end, zone), zone);
    }

    /** The number of rows (bins) of the grid. */
    public long rowCount() {
        Instant first = firstBin();
        Instant last = resolution.floor(end, zone);
        if (resolution != Resolution.DAY_1 && resolution != Resolution.WEEK_1) {
            return (last.getEpochSecond() - first.getEpochSecond())
                            / resolution.nominal().getSeconds()
                    + 1;
        }
        long n = 0;
        for (Instant t = first; !t.isAfter(last); t = resolution.next(t, zone)) {
            n++;
        }
        return n;
    }
}
