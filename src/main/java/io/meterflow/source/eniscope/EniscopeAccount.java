package io.meterflow.source.eniscope;

import java.time.Duration;
import java.util.List;

/** One Eniscope account of {@code eniscope.yaml}: how to log in, what to poll, and which readings. */
public record EniscopeAccount(String name, String cron, Login login, Scope scope, Readings readings) {

    /**
     * The API endpoint and credentials (read from the environment variables the file names);
     * {@code timeout}: how long one request may take before it counts as failed.
     */
    public record Login(String baseUrl, String apiKey, String email, String password, Duration timeout) {}

    /**
     * What to poll: the channels listed, or (none listed) every channel discovery finds, within
     * {@code organization} when it is set.
     */
    public record Scope(String organization, List<String> channels) {
        public Scope {
            channels = List.copyOf(channels);
        }
    }

    /**
     * Which readings: fields, resolution in seconds, how far a first poll reaches back, the hours
     * per request, and for how many hours a device may still upload readings late (windows newer
     * than that are asked for again until they hold their records).
     */
    public record Readings(List<String> fields, int resolution, int backfillDays, int windowHours, int lateHours) {
        public Readings {
            fields = List.copyOf(fields);
        }

        /** Readings a device may upload up to 48 hours late. */
        public Readings(List<String> fields, int resolution, int backfillDays, int windowHours) {
            this(fields, resolution, backfillDays, windowHours, 48);
        }
    }
}
