package io.meterflow.settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every {@code meterflow.*} setting the engine reads: its key, type, default and meaning, written
 * here once. {@link SettingValues} reads and checks them; the configuration reference
 * ({@code docs/configuration.md}) is checked against this list by a test. A value comes from
 * {@code -Dkey=value}, then the environment variable (upper case, {@code .} and {@code -} as
 * {@code _}: {@code METERFLOW_DB_PASSWORD}), then {@code config/application.properties}, then the
 * default here.
 */
public enum Setting {
    HOME(
            Section.ENGINE,
            "meterflow.home",
            Type.PATH,
            "",
            "the folder relative paths are resolved against (routes/, config/, inbox, outbox, data/); set it with"
                    + " -D or METERFLOW_HOME (or --home), not in the file, which is found under it; empty: the"
                    + " working directory when it holds routes/, else the folder the jar was built or installed in"),
    LOG_FORMAT(
            Section.ENGINE,
            "meterflow.log.format",
            Type.TEXT,
            "text",
            "text: one line per event; json: one JSON object per line (Log4j2 JSON Template Layout, ECS fields)",
            "text",
            "json"),
    DEBUG(
            Section.ENGINE,
            "meterflow.debug",
            Type.BOOLEAN,
            "false",
            "true: a failed start prints the stack trace below its one line, and the engine logs at DEBUG"),

    METERS_FILE(
            Section.METERS,
            "meterflow.meters-file",
            Type.PATH,
            "config/meters.yaml",
            "the meter registry: ids, serials, sites, timezones, per-signal kinds"),
    DEFAULT_TIMEZONE(
            Section.METERS,
            "meterflow.default-timezone",
            Type.ZONE,
            "America/New_York",
            "timezone of meters registered automatically and of meters.yaml entries without one"),

    DB_URL(
            Section.DATABASE,
            "meterflow.db.url",
            Type.TEXT,
            "jdbc:h2:./data/meterflow",
            "JDBC URL: the embedded H2 file database, or jdbc:postgresql://host:5432/db"),
    DB_USER(Section.DATABASE, "meterflow.db.user", Type.TEXT, "sa", "database user"),
    DB_PASSWORD(
            Section.DATABASE,
            "meterflow.db.password",
            Type.SECRET,
            "",
            "database password; set it with the environment variable METERFLOW_DB_PASSWORD"),
    DB_POOL_SIZE(Section.DATABASE, "meterflow.db.pool-size", Type.POSITIVE_INT, "4", "pooled connections"),
    DB_CONNECT_TIMEOUT(
            Section.DATABASE,
            "meterflow.db.connect-timeout-ms",
            Type.POSITIVE_INT,
            "5000",
            "how long a write or a request waits for a database connection before it fails"),
    STORE_RAW_RETENTION_DAYS(
            Section.DATABASE,
            "meterflow.store.raw-retention-days",
            Type.WHOLE_NUMBER,
            "0",
            "days of raw samples kept; older months keep only their minute and hour rollups (exports at 1min"
                    + " and coarser stay exact, 1sec is refused); 0 keeps every raw sample"),

    INBOX(Section.INGEST, "meterflow.inbox", Type.PATH, "inbox", "the watched drop folder: inbox/<meter-id>/**"),
    INGEST_MIN_AGE(
            Section.INGEST,
            "meterflow.ingest.min-age",
            Type.DURATION,
            "1s",
            "a file must be this old (and its size stable) before it is read"),
    INGEST_POLL_DELAY(
            Section.INGEST,
            "meterflow.ingest.poll-delay-ms",
            Type.POSITIVE_INT,
            "100",
            "milliseconds between scans of the inbox"),
    INGEST_THREADS(
            Section.INGEST,
            "meterflow.ingest.threads",
            Type.POSITIVE_INT,
            "8",
            "threads that parse files; files do not wait for their commit, and those parsed while a transaction"
                    + " commits (up to 256 at a time) share the next one"),
    INGEST_LOCK_TIMEOUT(
            Section.INGEST,
            "meterflow.ingest.lock-timeout-ms",
            Type.POSITIVE_INT,
            "30000",
            "milliseconds a write waits for rows another transaction holds (another engine writing the same"
                    + " meter-hour) before it is tried again"),
    INGEST_LOCK_MAX_AGE(
            Section.INGEST,
            "meterflow.ingest.read-lock-max-age-ms",
            Type.POSITIVE_INT,
            "30000",
            "milliseconds after which the claim on a file whose engine stopped renewing it (died) is"
                    + " taken by another engine watching the same inbox (its read lock)"),
    INGEST_WRITE_ATTEMPTS(
            Section.INGEST,
            "meterflow.ingest.write-attempts",
            Type.POSITIVE_INT,
            "3",
            "attempts of one write (a file, a frame, a poll window) that loses a race with another writer"),

    DEAD_LETTERS_MAX(
            Section.INGEST,
            "meterflow.dead-letters.max-rows",
            Type.POSITIVE_INT,
            "10000",
            "dead letters kept (the newest); each keeps at most 4,096 characters of its payload"),
    TIMESTAMP_PATTERNS(
            Section.INGEST,
            "meterflow.timestamps.patterns",
            Type.PATTERNS,
            "",
            "date-time patterns of your own (java.time syntax, separated by |), tried after the built-in"
                    + " forms in meter files and Niagara history CSVs, e.g. dd.MM.yy HH:mm:ss"),
    TIMESTAMP_LOCALES(
            Section.INGEST,
            "meterflow.timestamps.locales",
            Type.LOCALES,
            "en",
            "languages of month names and AM/PM markers in text timestamps (comma-separated, e.g. en,de,fr)"),

    HEALTH_MIN_FREE(
            Section.API,
            "meterflow.health.min-free-mb",
            Type.POSITIVE_INT,
            "64",
            "GET /health reports degraded when a folder the engine writes to has less free space"),
    API_HOST(
            Section.API,
            "meterflow.api.host",
            Type.TEXT,
            "",
            "the address the HTTP server listens on (0.0.0.0: every interface); empty: 127.0.0.1 while no API keys"
                    + " are set, every interface once they are"),
    API_CORS_ORIGINS(
            Section.API,
            "meterflow.api.cors-origins",
            Type.TEXT,
            "",
            "comma-separated origins browsers may call the API from (https://tools.example, or * for any);"
                    + " empty: no CORS headers"),
    API_KEYS(
            Section.API,
            "meterflow.api.keys",
            Type.SECRET,
            "",
            "comma-separated API keys (environment variable METERFLOW_API_KEYS); empty: an open API on 127.0.0.1 only"),

    EXPORT_MAX_RANGE_DAYS(
            Section.EXPORT, "meterflow.export.max-range-days", Type.POSITIVE_INT, "366", "longest export range"),
    EXPORT_MAX_RANGE_DAYS_1SEC(
            Section.EXPORT,
            "meterflow.export.max-range-days-1sec",
            Type.POSITIVE_INT,
            "31",
            "longest export range at resolution 1sec"),
    EXPORT_MAX_METERS(
            Section.EXPORT, "meterflow.export.max-meters", Type.POSITIVE_INT, "100", "meters in one composite export"),
    EXPORT_DIR(
            Section.EXPORT,
            "meterflow.export.dir",
            Type.PATH,
            "data/exports",
            "files of export jobs, temporary files of synchronous exports, scheduled export work files"),
    EXPORT_WORKERS(Section.EXPORT, "meterflow.export.workers", Type.POSITIVE_INT, "2", "export jobs running at once"),
    EXPORT_MAX_QUEUED(
            Section.EXPORT,
            "meterflow.export.max-queued",
            Type.POSITIVE_INT,
            "20",
            "export jobs waiting; more get 429"),
    EXPORT_RETENTION_HOURS(
            Section.EXPORT,
            "meterflow.export.retention-hours",
            Type.POSITIVE_INT,
            "24",
            "hours a finished export file is kept for download"),
    EXPORT_SYNC_CONCURRENCY(
            Section.EXPORT,
            "meterflow.export.sync-concurrency",
            Type.POSITIVE_INT,
            "2",
            "synchronous exports (POST /generate_csv) at once; more get 429"),
    EXPORT_SYNC_MEMORY_BYTES(
            Section.EXPORT,
            "meterflow.export.sync-memory-bytes",
            Type.POSITIVE_INT,
            "8388608",
            "a synchronous export up to this size is answered from memory; a longer one through a temporary file"),
    EXPORT_CLEANUP_PERIOD(
            Section.EXPORT,
            "meterflow.export.cleanup-period-ms",
            Type.POSITIVE_INT,
            "600000",
            "milliseconds between sweeps for expired export files"),

    EXPORTS_FILE(
            Section.SCHEDULE,
            "meterflow.exports-file",
            Type.PATH,
            "config/exports.yaml",
            "scheduled export definitions"),
    OUTBOX(Section.SCHEDULE, "meterflow.outbox", Type.PATH, "outbox", "root of the folders exports are published to"),
    SCHEDULE_HTTP_ATTEMPTS(
            Section.SCHEDULE,
            "meterflow.schedule.http-attempts",
            Type.POSITIVE_INT,
            "3",
            "attempts of one HTTP delivery"),
    SCHEDULE_HTTP_BACKOFF(
            Section.SCHEDULE,
            "meterflow.schedule.http-backoff-ms",
            Type.POSITIVE_INT,
            "1000",
            "first back-off between HTTP delivery attempts (doubles each attempt)"),

    MQTT_ENABLED(Section.MQTT, "meterflow.mqtt.enabled", Type.BOOLEAN, "false", "subscribe to Niagara history frames"),
    MQTT_BROKER_URL(
            Section.MQTT,
            "meterflow.mqtt.broker-url",
            Type.TEXT,
            "tcp://127.0.0.1:1883",
            "the broker: tcp://host:1883, or ssl://host:8883 for TLS"),
    MQTT_TOPIC(
            Section.MQTT,
            "meterflow.mqtt.topic",
            Type.TEXT,
            "niagara/histories",
            "topic filter (wildcards allowed; $share/<group>/... to split frames among engines)"),
    MQTT_CLIENT_ID(
            Section.MQTT,
            "meterflow.mqtt.client-id",
            Type.TEXT,
            "meterflow-1",
            "fixed client id, unique per engine, so the broker keeps its session"),
    MQTT_SESSION_EXPIRY(
            Section.MQTT,
            "meterflow.mqtt.session-expiry-seconds",
            Type.POSITIVE_INT,
            "604800",
            "how long the broker keeps the session (and queues frames) while the engine is away"),
    MQTT_USERNAME(Section.MQTT, "meterflow.mqtt.username", Type.TEXT, "", "broker user; empty: anonymous"),
    MQTT_PASSWORD(
            Section.MQTT,
            "meterflow.mqtt.password",
            Type.SECRET,
            "",
            "broker password; set it with the environment variable METERFLOW_MQTT_PASSWORD"),
    MQTT_RECONNECT(
            Section.MQTT, "meterflow.mqtt.reconnect-ms", Type.POSITIVE_INT, "2000", "pause between reconnect attempts"),
    MQTT_CA_FILE(
            Section.MQTT,
            "meterflow.mqtt.ca-file",
            Type.PATH,
            "",
            "PEM certificates to trust for an ssl:// broker (a private CA, a self-signed broker); empty: the JVM's"),
    MQTT_KEYS_STATION(
            Section.MQTT,
            "meterflow.mqtt.keys.station",
            Type.POINTERS,
            "/stationName",
            "where a frame names its station: JSON pointers, comma-separated, the first present wins"),
    MQTT_KEYS_HISTORY(
            Section.MQTT,
            "meterflow.mqtt.keys.history",
            Type.POINTERS,
            "/historyId,/id,/historyName,/name,/point/n:history,/point/hs:history,/point/pointName",
            "where a frame names its history"),
    MQTT_KEYS_ROWS(
            Section.MQTT,
            "meterflow.mqtt.keys.rows",
            Type.POINTERS,
            "/historyData,/point/historyData",
            "where a frame holds its rows (objects, or [timestamp, value, status] arrays)"),
    MQTT_KEYS_TIMESTAMP(
            Section.MQTT,
            "meterflow.mqtt.keys.timestamp",
            Type.POINTERS,
            "/timestamp,/ts",
            "where a row object holds its timestamp"),
    MQTT_KEYS_VALUE(
            Section.MQTT, "meterflow.mqtt.keys.value", Type.POINTERS, "/value", "where a row object holds its value"),
    MQTT_KEYS_STATUS(
            Section.MQTT,
            "meterflow.mqtt.keys.status",
            Type.POINTERS,
            "/status",
            "where a row object holds its Niagara status ({ok}, {down,stale}); none: no status series"),
    MQTT_KEYS_UNIT(
            Section.MQTT,
            "meterflow.mqtt.keys.unit",
            Type.POINTERS,
            "/point/hs:unit,/point/h4:unit,/point/n:units,/unit",
            "where a frame names the unit of its history"),
    MQTT_DEFAULT_STATION(
            Section.MQTT,
            "meterflow.mqtt.default-station",
            Type.TEXT,
            "",
            "the station of frames that name none (such as the CSIRO DCH history export); empty: they are dead"
                    + " letters"),

    ENISCOPE_ENABLED(
            Section.ENISCOPE,
            "meterflow.eniscope.enabled",
            Type.BOOLEAN,
            "false",
            "poll the accounts of the Eniscope file"),
    ENISCOPE_FILE(Section.ENISCOPE, "meterflow.eniscope-file", Type.PATH, "config/eniscope.yaml", "Eniscope accounts"),
    ENISCOPE_CRON(
            Section.ENISCOPE,
            "meterflow.eniscope.cron",
            Type.CRON,
            "0 5 * * * ?",
            "when to poll an account that names no cron of its own (Quartz cron)"),
    ENISCOPE_ATTEMPTS(
            Section.ENISCOPE,
            "meterflow.eniscope.attempts",
            Type.POSITIVE_INT,
            "4",
            "attempts of one API request on 429, 5xx and time-outs"),
    ENISCOPE_BACKOFF(
            Section.ENISCOPE,
            "meterflow.eniscope.backoff-ms",
            Type.POSITIVE_INT,
            "2000",
            "first back-off between API attempts (doubles each attempt)"),

    NIAGARA_HTTP_ENABLED(
            Section.NIAGARA_HTTP,
            "meterflow.niagara-http.enabled",
            Type.BOOLEAN,
            "false",
            "poll the stations of the Niagara HTTP file"),
    NIAGARA_HTTP_FILE(
            Section.NIAGARA_HTTP,
            "meterflow.niagara-http-file",
            Type.PATH,
            "config/niagara-http.yaml",
            "Niagara stations and their histories"),
    NIAGARA_HTTP_CRON(
            Section.NIAGARA_HTTP,
            "meterflow.niagara-http.cron",
            Type.CRON,
            "0 0/15 * * * ?",
            "when to poll a station that names no cron of its own (Quartz cron)");

    /** The parts of the engine settings belong to, in the order the reference lists them. */
    public enum Section {
        ENGINE("Engine"),
        METERS("Meters"),
        DATABASE("Database"),
        INGEST("Drop-folder ingestion"),
        API("HTTP API"),
        EXPORT("Exports"),
        SCHEDULE("Scheduled exports"),
        MQTT("Niagara over MQTT"),
        ENISCOPE("Eniscope"),
        NIAGARA_HTTP("Niagara over HTTP");

        private final String title;

        Section(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /** What a value must look like; {@link SettingValues} checks it. */
    public enum Type {
        TEXT,
        SECRET,
        PATH,
        POSITIVE_INT,
        WHOLE_NUMBER,
        BOOLEAN,
        ZONE,
        CRON,
        DURATION,
        /** Date-time patterns separated by {@code |}. */
        PATTERNS,
        /** Language tags separated by commas. */
        LOCALES,
        /** JSON pointers separated by commas. */
        POINTERS
    }

    private final Section section;
    private final String key;
    private final Type type;
    private final String defaultValue;
    private final String description;
    private final List<String> choices;

    Setting(Section section, String key, Type type, String defaultValue, String description, String... choices) {
        this.section = section;
        this.key = key;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.choices = List.of(choices);
    }

    /** The values a setting of a fixed set may take; empty when any value of its type will do. */
    public List<String> choices() {
        return choices;
    }

    public Section section() {
        return section;
    }

    public String key() {
        return key;
    }

    public Type type() {
        return type;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The environment variable that sets this key. */
    public String environmentVariable() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public static Optional<Setting> byKey(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Problems with {@code keys} (from property files and {@code -D}): every {@code meterflow.*}
     * key that is not a setting, with the closest known key; empty when all are known.
     */
    public static List<String> unknown(Collection<String> keys) {
        List<String> problems = new ArrayList<>();
        for (String key : keys) {
            if (key.startsWith("meterflow.") && byKey(key).isEmpty()) {
                problems.add(key + ": not a Meterflow setting (did you mean " + closest(key) + "?)");
            }
        }
        problems.sort(null);
        return problems;
    }

    private static String closest(String key) {
        Setting best = values()[0];
        int bestDistance = Integer.MAX_VALUE;
        for (Setting s : values()) {
            int d = distance(key, s.key);
            if (d < bestDistance) {
                best = s;
                bestDistance = d;
            }
        }
        return best.key;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
