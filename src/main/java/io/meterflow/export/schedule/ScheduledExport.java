package io.meterflow.export.schedule;

import io.meterflow.series.Aggregation;
import io.meterflow.series.Meter;
import io.meterflow.series.Resolution;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * One export definition of {@code config/exports.yaml}: when (a Quartz cron in a timezone), what
 * (its {@link Content}) and where (its {@link Destinations}).
 */
public record ScheduledExport(
        String name, boolean enabled, String cron, ZoneId zone, Content content, Destinations destinations) {

    /**
     * The data: meters (and the site they were chosen by, if any), resolution, aggregation, the
     * window relative to the run, the base file name and an optional file name template.
     */
    public record Content(
            List<Meter> meters,
            String site,
            Resolution resolution,
            Aggregation aggregation,
            ExportWindow window,
            String baseName,
            String fileTemplate) {
        public Content {
            meters = List.copyOf(meters);
        }
    }

    /** An outbox folder (a template under the outbox), an HTTP endpoint, or both; null where absent. */
    public record Destinations(String folder, Http http) {}

    /** An HTTP destination: the token (if any) is read from the named environment variable at delivery. */
    public record Http(String method, String url, Map<String, String> headers, String tokenEnv, boolean multipart) {}
}
