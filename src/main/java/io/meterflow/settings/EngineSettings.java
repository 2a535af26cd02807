package io.meterflow.settings;

import io.meterflow.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.function.Function;

/**
 * The engine's settings, one record per part, read from {@link SettingValues} (every key checked
 * at start, every message naming the key). The defaults live in {@link Setting}.
 */
public record EngineSettings(
        Meters meters,
        Database database,
        Ingest ingest,
        Api api,
        Export export,
        Schedule schedule,
        Mqtt mqtt,
        Eniscope eniscope,
        NiagaraHttp niagaraHttp,
        Map<String, String> properties) {

    /** The meter registry file and the zone of meters that name none. */
    public record Meters(Path file, ZoneId defaultZone) {}

    /** The JDBC URL, credentials and pool size. */
    public record Database(String url, String user, String password, int poolSize, long connectTimeoutMillis) {
        /** Whether this is the embedded H2 database (one process at a time). */
        public boolean embedded() {
            return url.startsWith("jdbc:h2:");
        }
    }

    /** The drop folder and the shared write path: lock wait, attempts of a write that lost a race. */
    public record Ingest(Path inbox, int threads, long lockTimeoutMillis, int writeAttempts, int deadLettersMax) {}

    /** API keys (empty: an open API, served on 127.0.0.1 only). */
    public record Api(String keys, long minFreeBytes) {}

    /** Exports: range limits, the folder, the job pool and queue, retention, synchronous concurrency. */
    public record Export(
            Duration maxRange,
            Duration maxRangeAtOneSecond,
            Path dir,
            int workers,
            int maxQueued,
            Duration retention,
            int syncConcurrency) {}

    /** Scheduled exports: the definitions file, the outbox, HTTP delivery attempts and first back-off. */
    public record Schedule(Path exportsFile, Path outbox, int httpAttempts, long httpBackoffMillis) {}

    /** The Niagara MQTT subscription: on or off, and where and how to subscribe. */
    public record Mqtt(
            boolean enabled,
            String brokerUrl,
            String topic,
            String clientId,
            long sessionExpirySeconds,
            Credentials credentials,
            long reconnectMillis,
            String caFile) {}

    /** A user name (empty: anonymous) and password. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + "]";
        }
    }

    /** Eniscope polling: on or off, the accounts file, the default cron, request attempts and first back-off. */
    public record Eniscope(boolean enabled, Path file, String cron, int attempts, long backoffMillis) {}

    /** Niagara HTTP polling: on or off, the stations file, the default cron. */
    public record NiagaraHttp(boolean enabled, Path file, String cron) {}

    /** Reads and checks every setting through {@code lookup} (null for a key that is not set). */
    public static EngineSettings from(Function<String, String> lookup) {
        SettingValues v = new SettingValues(lookup);
        return new EngineSettings(
                new Meters(v.path(Setting.METERS_FILE), v.zone(Setting.DEFAULT_TIMEZONE)),
                new Database(
                        v.text(Setting.DB_URL),
                        v.text(Setting.DB_USER),
                        v.text(Setting.DB_PASSWORD),
                        v.positiveInt(Setting.DB_POOL_SIZE),
                        v.positiveInt(Setting.DB_CONNECT_TIMEOUT)),
                new Ingest(
                        v.path(Setting.INBOX),
                        v.positiveInt(Setting.INGEST_THREADS),
                        v.positiveInt(Setting.INGEST_LOCK_TIMEOUT),
                        v.positiveInt(Setting.INGEST_WRITE_ATTEMPTS),
                        v.positiveInt(Setting.DEAD_LETTERS_MAX)),
                new Api(v.text(Setting.API_KEYS), v.positiveInt(Setting.HEALTH_MIN_FREE) * 1_048_576L),
                new Export(
                        Duration.ofDays(v.positiveInt(Setting.EXPORT_MAX_RANGE_DAYS)),
                        Duration.ofDays(v.positiveInt(Setting.EXPORT_MAX_RANGE_DAYS_1SEC)),
                        v.path(Setting.EXPORT_DIR),
                        v.positiveInt(Setting.EXPORT_WORKERS),
                        v.positiveInt(Setting.EXPORT_MAX_QUEUED),
                        Duration.ofHours(v.positiveInt(Setting.EXPORT_RETENTION_HOURS)),
                        v.positiveInt(Setting.EXPORT_SYNC_CONCURRENCY)),
                new Schedule(
                        v.path(Setting.EXPORTS_FILE),
                        v.path(Setting.OUTBOX),
                        v.positiveInt(Setting.SCHEDULE_HTTP_ATTEMPTS),
                        v.positiveInt(Setting.SCHEDULE_HTTP_BACKOFF)),
                new Mqtt(
                        v.bool(Setting.MQTT_ENABLED),
                        v.text(Setting.MQTT_BROKER_URL),
                        v.text(Setting.MQTT_TOPIC),
                        v.text(Setting.MQTT_CLIENT_ID),
                        v.positiveInt(Setting.MQTT_SESSION_EXPIRY),
                        new Credentials(v.text(Setting.MQTT_USERNAME), v.text(Setting.MQTT_PASSWORD)),
                        v.positiveInt(Setting.MQTT_RECONNECT),
                        caFile(v)),
                new Eniscope(
                        v.bool(Setting.ENISCOPE_ENABLED),
                        v.path(Setting.ENISCOPE_FILE),
                        v.text(Setting.ENISCOPE_CRON),
                        v.positiveInt(Setting.ENISCOPE_ATTEMPTS),
                        v.positiveInt(Setting.ENISCOPE_BACKOFF)),
                new NiagaraHttp(
                        v.bool(Setting.NIAGARA_HTTP_ENABLED),
                        v.path(Setting.NIAGARA_HTTP_FILE),
                        v.text(Setting.NIAGARA_HTTP_CRON)),
                v.asProperties());
    }

    /** The CA file must be there at start: a wrong path names the key now, not at every reconnect. */
    private static String caFile(SettingValues v) {
        String file = v.text(Setting.MQTT_CA_FILE);
        if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
            throw new ConfigException(Setting.MQTT_CA_FILE.key() + ": cannot read " + file);
        }
        return file;
    }

    @Override
    public String toString() {
        return "EngineSettings[database=" + database.url() + ", inbox=" + ingest.inbox() + "]";
    }
}
