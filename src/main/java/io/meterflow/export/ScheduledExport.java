package io.meterflow.export;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import io.meterflow.series.Aggregation;
import io.meterflow.series.Meter;
import io.meterflow.series.Resolution;

/**
 * One export definition of {@code config/exports.yaml}: when (Quartz cron in a timezone), what
 * (meters, resolution, aggregation, window, file name) and where (an outbox folder, an HTTP
 * endpoint, or both).
 */
public record ScheduledExport(String name, boolean enabled, String cron, ZoneId zone, List<Meter> meters, String site,
                              Resolution resolution, Aggregation aggregation, ExportWindow window, String baseName,
                              String fileTemplate, String folder, Http http) {

    /** An HTTP destination: the token (if any) is read from the named environment variable at delivery. */
    public record Http(String method, String url, Map<String, String> headers, String tokenEnv, boolean multipart) {
    }
}
