package io.meterflow.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.function.Function;

import io.meterflow.ingest.MqttHistorySubscriber;

/**
 * The engine's settings, read from the property source (config/application.properties,
 * -Dkey=value, environment variables) and checked at start; every message names the key.
 */
public record EngineSettings(Path inbox, Path metersFile, ZoneId defaultZone, String dbUrl, String dbUser,
                             String dbPassword, int dbPoolSize, long lockTimeoutMillis, Export export, String apiKeys,
                             Schedule schedule, Path eniscopeFile, Path niagaraHttpFile, Mqtt mqtt) {

    /** The Niagara MQTT subscription: on or off, and where and how to subscribe. */
    public record Mqtt(boolean enabled, MqttHistorySubscriber.Settings subscription) {
    }

    /** Scheduled exports: the definitions file, the outbox, HTTP delivery attempts and back-off. */
    public record Schedule(Path exportsFile, Path outbox, int httpAttempts, int httpBackoffMillis) {
    }

    /** Export settings: range limits, the job folder, the worker pool, retention, sync concurrency. */
    public record Export(int maxRangeDays, int maxRangeDaysAtOneSecond, Path dir, int workers, int maxQueued,
                         int retentionHours, int syncConcurrency) {
    }

    public static final String INBOX = "meterflow.inbox";
    public static final String METERS_FILE = "meterflow.meters-file";
    public static final String DEFAULT_TIMEZONE = "meterflow.default-timezone";
    public static final String DB_URL = "meterflow.db.url";
    public static final String DB_USER = "meterflow.db.user";
    public static final String DB_PASSWORD = "meterflow.db.password";
    public static final String DB_POOL_SIZE = "meterflow.db.pool-size";
    public static final String LOCK_TIMEOUT = "meterflow.ingest.lock-timeout-ms";
    public static final String EXPORT_MAX_RANGE_DAYS = "meterflow.export.max-range-days";
    public static final String EXPORT_MAX_RANGE_DAYS_1SEC = "meterflow.export.max-range-days-1sec";
    public static final String EXPORT_DIR = "meterflow.export.dir";
    public static final String EXPORT_WORKERS = "meterflow.export.workers";
    public static final String EXPORT_MAX_QUEUED = "meterflow.export.max-queued";
    public static final String EXPORT_RETENTION_HOURS = "meterflow.export.retention-hours";
    public static final String EXPORT_SYNC_CONCURRENCY = "meterflow.export.sync-concurrency";
    public static final String API_KEYS = "meterflow.api.keys";
    public static final String EXPORTS_FILE = "meterflow.exports-file";
    public static final String ENISCOPE_FILE = "meterflow.eniscope-file";
    public static final String NIAGARA_HTTP_FILE = "meterflow.niagara-http-file";
    public static final String MQTT_ENABLED = "meterflow.mqtt.enabled";
    public static final String MQTT_BROKER_URL = "meterflow.mqtt.broker-url";
    public static final String MQTT_TOPIC = "meterflow.mqtt.topic";
    public static final String MQTT_CLIENT_ID = "meterflow.mqtt.client-id";
    public static final String MQTT_SESSION_EXPIRY = "meterflow.mqtt.session-expiry-seconds";
    public static final String MQTT_USERNAME = "meterflow.mqtt.username";
    public static final String MQTT_PASSWORD = "meterflow.mqtt.password";
    public static final String MQTT_RECONNECT = "meterflow.mqtt.reconnect-ms";
    public static final String MQTT_CA_FILE = "meterflow.mqtt.ca-file";
    public static final String OUTBOX = "meterflow.outbox";
    public static final String HTTP_ATTEMPTS = "meterflow.schedule.http-attempts";
    public static final String HTTP_BACKOFF = "meterflow.schedule.http-backoff-ms";

    /** Reads the settings through {@code lookup} (null for an absent key), applying the defaults. */
    public static EngineSettings from(Function<String, String> lookup) {
        return new EngineSettings(
                Path.of(value(lookup, INBOX, "inbox")),
                Path.of(value(lookup, METERS_FILE, "config/meters.yaml")),
                zone(value(lookup, DEFAULT_TIMEZONE, "America/New_York")),
                value(lookup, DB_URL, "jdbc:h2:./data/meterflow"),
                value(lookup, DB_USER, "sa"),
                value(lookup, DB_PASSWORD, ""),
                positiveInt(lookup, DB_POOL_SIZE, 4),
                positiveInt(lookup, LOCK_TIMEOUT, 30_000),
                new Export(positiveInt(lookup, EXPORT_MAX_RANGE_DAYS, 366),
                        positiveInt(lookup, EXPORT_MAX_RANGE_DAYS_1SEC, 31),
                        Path.of(value(lookup, EXPORT_DIR, "data/exports")),
                        positiveInt(lookup, EXPORT_WORKERS, 2),
                        positiveInt(lookup, EXPORT_MAX_QUEUED, 20),
                        positiveInt(lookup, EXPORT_RETENTION_HOURS, 24),
                        positiveInt(lookup, EXPORT_SYNC_CONCURRENCY, 2)),
                value(lookup, API_KEYS, ""),
                new Schedule(Path.of(value(lookup, EXPORTS_FILE, "config/exports.yaml")),
                        Path.of(value(lookup, OUTBOX, "outbox")),
                        positiveInt(lookup, HTTP_ATTEMPTS, 3),
                        positiveInt(lookup, HTTP_BACKOFF, 1000)),
                Path.of(value(lookup, ENISCOPE_FILE, "config/eniscope.yaml")),
                Path.of(value(lookup, NIAGARA_HTTP_FILE, "config/niagara-http.yaml")),
                new Mqtt(Boolean.parseBoolean(value(lookup, MQTT_ENABLED, "false")), new MqttHistorySubscriber.Settings(
                        value(lookup, MQTT_BROKER_URL, "tcp://127.0.0.1:1883"),
                        value(lookup, MQTT_TOPIC, "niagara/histories"),
                        value(lookup, MQTT_CLIENT_ID, "meterflow-1"),
                        positiveInt(lookup, MQTT_SESSION_EXPIRY, 604_800),
                        value(lookup, MQTT_USERNAME, ""),
                        value(lookup, MQTT_PASSWORD, ""),
                        positiveInt(lookup, MQTT_RECONNECT, 2000),
                        caFile(lookup))));
    }

    /** The MQTT CA file, checked now so that a wrong path names the key at start, not at every reconnect. */
    private static String caFile(Function<String, String> lookup) {
        String file = value(lookup, MQTT_CA_FILE, "");
        if (!file.isEmpty()) {
            try {
                io.meterflow.ingest.PemTrust.context(Path.of(file));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(MQTT_CA_FILE + ": " + e.getMessage());
            }
        }
        return file;
    }

    private static String value(Function<String, String> lookup, String key, String fallback) {
        String v = lookup.apply(key);
        return v == null || v.isBlank() ? fallback : v.trim();
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw new ConfigException(DEFAULT_TIMEZONE + ": not an IANA timezone: " + id);
        }
    }

    private static int positiveInt(Function<String, String> lookup, String key, int fallback) {
        String v = value(lookup, key, Integer.toString(fallback));
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(key + ": expected a positive whole number, got '" + v + "'");
    }
}
