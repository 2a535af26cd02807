package io.meterflow.settings;

import io.meterflow.store.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The engine's settings, one record per part, read from {@link SettingValues} (every key checked
 * at start, every message naming the key). The defaults live in {@link Setting}.
 */
public record EngineSettings(
        Launch launch,
        Meters meters,
        Database database,
        Ingest ingest,
        Api api,
        Export export,
        Schedule schedule,
        Mqtt mqtt,
        Eniscope eniscope,
        NiagaraHttp niagaraHttp,
        Timestamps timestamps,
        FrameKeys frameKeys,
        Map<String, String> properties) {

    /** How the engine runs: its home folder (empty: relative paths are taken as they are), log format, debug. */
    public record Launch(Path home, String logFormat, boolean debug) {}

    /** The meter registry file and the zone of meters that name none. */
    public record Meters(Path file, ZoneId defaultZone) {}

    /** The JDBC URL, credentials and pool size. */
    /** The database; {@code rawRetentionDays}: days of raw samples kept (0: all). */
    public record Database(
            String url, String user, String password, int poolSize, long connectTimeoutMillis, int rawRetentionDays) {
        /** Whether this is the embedded H2 database (one process at a time). */
        public boolean embedded() {
            return url.startsWith("jdbc:h2:");
        }
    }

    /** The drop folder and the shared write path: lock wait, attempts of a write that lost a race. */
    public record Ingest(
            Path inbox,
            long minAgeMillis,
            int threads,
            long lockTimeoutMillis,
            long readLockMaxAgeMillis,
            int writeAttempts,
            int deadLettersMax) {}

    /**
     * API keys (empty: an open API), the listen address (empty: 127.0.0.1 without keys, every
     * interface with them), the origins allowed by CORS (empty: none), the free-space floor of /health.
     */
    public record Api(String keys, String host, List<String> corsOrigins, long minFreeBytes) {
        /** The address the HTTP server binds. */
        public String listenAddress() {
            if (!host.isEmpty()) {
                return host;
            }
            return keys.isBlank() ? "127.0.0.1" : "0.0.0.0";
        }
    }

    /** Exports: range limits, the folder, the job pool and queue, retention, synchronous concurrency and memory. */
    public record Export(
            int maxMeters,
            Duration maxRange,
            Duration maxRangeAtOneSecond,
            Path dir,
            int workers,
            int maxQueued,
            Duration retention,
            int syncConcurrency,
            int syncMemoryBytes) {}

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

    /** Text timestamps beyond the built-in forms: patterns of one's own and the languages of month names. */
    public record Timestamps(List<String> patterns, List<Locale> locales) {
        public Timestamps {
            patterns = List.copyOf(patterns);
            locales = List.copyOf(locales);
        }
    }

    /**
     * Where Niagara MQTT frames hold their parts (JSON pointers, the first present wins): station,
     * history, rows, and within a row object its timestamp, value and status; the history's unit;
     * and the station of frames that name none (empty: such frames are dead letters).
     */
    public record FrameKeys(
            List<String> station,
            List<String> history,
            List<String> rows,
            List<String> timestamp,
            List<String> value,
            List<String> status,
            List<String> unit,
            String defaultStation) {
        public FrameKeys {
            station = List.copyOf(station);
            history = List.copyOf(history);
            rows = List.copyOf(rows);
            timestamp = List.copyOf(timestamp);
            value = List.copyOf(value);
            status = List.copyOf(status);
            unit = List.copyOf(unit);
        }

        /** The keys of the known frame shapes, as the settings default them. */
        public static FrameKeys defaults() {
            return EngineSettings.from(key -> null).frameKeys();
        }
    }

    /** Reads and checks every setting through {@code lookup} (null for a key that is not set). */
    public static EngineSettings from(Function<String, String> lookup) {
        SettingValues v = new SettingValues(lookup);
        return new EngineSettings(
                new Launch(v.path(Setting.HOME), v.text(Setting.LOG_FORMAT), v.bool(Setting.DEBUG)),
                new Meters(v.path(Setting.METERS_FILE), v.zone(Setting.DEFAULT_TIMEZONE)),
                new Database(
                        jdbcUrl(v.text(Setting.DB_URL), v.text(Setting.HOME)),
                        v.text(Setting.DB_USER),
                        v.text(Setting.DB_PASSWORD),
                        v.positiveInt(Setting.DB_POOL_SIZE),
                        v.positiveInt(Setting.DB_CONNECT_TIMEOUT),
                        v.wholeNumber(Setting.STORE_RAW_RETENTION_DAYS)),
                new Ingest(
                        v.path(Setting.INBOX),
                        v.millis(Setting.INGEST_MIN_AGE),
                        v.positiveInt(Setting.INGEST_THREADS),
                        v.positiveInt(Setting.INGEST_LOCK_TIMEOUT),
                        v.positiveInt(Setting.INGEST_LOCK_MAX_AGE),
                        v.positiveInt(Setting.INGEST_WRITE_ATTEMPTS),
                        v.positiveInt(Setting.DEAD_LETTERS_MAX)),
                new Api(
                        v.text(Setting.API_KEYS),
                        v.text(Setting.API_HOST),
                        Arrays.stream(v.text(Setting.API_CORS_ORIGINS).split(","))
                                .map(String::trim)
                                .filter(o -> !o.isEmpty())
                                .toList(),
                        v.positiveInt(Setting.HEALTH_MIN_FREE) * 1_048_576L),
                new Export(
                        v.positiveInt(Setting.EXPORT_MAX_METERS),
                        Duration.ofDays(v.positiveInt(Setting.EXPORT_MAX_RANGE_DAYS)),
                        Duration.ofDays(v.positiveInt(Setting.EXPORT_MAX_RANGE_DAYS_1SEC)),
                        v.path(Setting.EXPORT_DIR),
                        v.positiveInt(Setting.EXPORT_WORKERS),
                        v.positiveInt(Setting.EXPORT_MAX_QUEUED),
                        Duration.ofHours(v.positiveInt(Setting.EXPORT_RETENTION_HOURS)),
                        v.positiveInt(Setting.EXPORT_SYNC_CONCURRENCY),
                        v.positiveInt(Setting.EXPORT_SYNC_MEMORY_BYTES)),
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
                new Timestamps(v.patterns(Setting.TIMESTAMP_PATTERNS), v.locales(Setting.TIMESTAMP_LOCALES)),
                new FrameKeys(
                        v.pointers(Setting.MQTT_KEYS_STATION),
                        v.pointers(Setting.MQTT_KEYS_HISTORY),
                        v.pointers(Setting.MQTT_KEYS_ROWS),
                        v.pointers(Setting.MQTT_KEYS_TIMESTAMP),
                        v.pointers(Setting.MQTT_KEYS_VALUE),
                        v.pointers(Setting.MQTT_KEYS_STATUS),
                        v.pointers(Setting.MQTT_KEYS_UNIT),
                        v.text(Setting.MQTT_DEFAULT_STATION)),
                v.asProperties());
    }

    /**
     * An embedded H2 URL with a relative file ({@code jdbc:h2:./data/meterflow}) points into the home
     * folder, so the engine finds its database wherever it is started from.
     */
    static String jdbcUrl(String url, String home) {
        String prefix = "jdbc:h2:";
        if (home.isEmpty() || !url.startsWith(prefix)) {
            return url;
        }
        String rest = url.substring(prefix.length());
        boolean file = rest.startsWith("file:");
        String path = file ? rest.substring("file:".length()) : rest;
        if (path.startsWith("mem:") || path.startsWith("tcp:") || path.startsWith("ssl:") || path.startsWith("zip:")) {
            return url;
        }
        String[] parts = path.split(";", 2);
        if (parts[0].startsWith("~") || Path.of(parts[0]).isAbsolute()) {
            return url;
        }
        String absolute = Path.of(home).resolve(parts[0]).normalize().toString();
        return prefix + (file ? "file:" : "") + absolute + (parts.length > 1 ? ";" + parts[1] : "");
    }

    /** The CA file must be there at start: a wrong path names the key now, not at every reconnect. */
    private static String caFile(SettingValues v) {
        if (v.text(Setting.MQTT_CA_FILE).isEmpty()) {
            return "";
        }
        String file = v.path(Setting.MQTT_CA_FILE).toString();
        if (!Files.isReadable(Path.of(file))) {
            throw new ConfigException(Setting.MQTT_CA_FILE.key() + ": cannot read " + file);
        }
        return file;
    }

    @Override
    public String toString() {
        return "EngineSettings[database=" + database.url() + ", inbox=" + ingest.inbox() + "]";
    }
}
