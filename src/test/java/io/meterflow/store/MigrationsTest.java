package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.meterflow.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A Flyway migration never changes once it has been released: a database migrated by an earlier
 * version would refuse to start (checksum mismatch) or miss the change. Each migration's name and
 * checksum are recorded in {@code src/test/resources/db/migrations.sha256}; a new migration adds a
 * line there, an edited or renamed one fails here.
 */
class MigrationsTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    /** Migrations of one database where they differ (read by {@link Database#migrate} for that database). */
    private static final Path VENDORS = Path.of("src/main/resources/db/vendor");

    @Test
    void released_migrations_are_unchanged_and_numbered_in_order() throws Exception {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/db/migrations.sha256"))) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split("\\s+");
                recorded.put(parts[0], parts[1]);
            }
        }
        Map<String, String> actual = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(Path.of("src/main/resources/db"))) {
            all.filter(f -> f.getFileName().toString().endsWith(".sql")).forEach(files::add);
        }
        files.sort(Comparator.comparing((Path f) -> version(f)).thenComparing(Path::toString));
        for (Path f : files) {
            actual.put(
                    Path.of("src/main/resources/db/migration")
                            .getParent()
                            .relativize(f)
                            .toString()
                            .replace("migration/", ""),
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        }
        assertEquals(recorded, actual, "a released migration was edited, renamed or removed (add new ones instead)");
        // every database runs the shared migrations and its own: versions 1, 2, 3, ... without gaps
        try (Stream<Path> vendors = Files.list(VENDORS)) {
            for (Path vendor : vendors.sorted().toList()) {
                List<Integer> versions = new ArrayList<>();
                for (Path f : files) {
                    if (f.startsWith(MIGRATIONS) || f.startsWith(vendor)) {
                        versions.add(version(f));
                    }
                }
                versions.sort(null);
                for (int i = 0; i < versions.size(); i++) {
                    assertEquals(i + 1, versions.get(i), vendor.getFileName() + ": versions run 1, 2, 3, ...");
                }
            }
        }
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    /**
     * Each database runs its own migrations (db/vendor/h2, db/vendor/postgresql): on a new database,
     * and on one that an engine made before it read that folder (its versions 19 and 21 then run
     * after 20). PostgreSQL's sample_block is then partitioned by month with every block still
     * there, and H2 hands out ledger ids from a cache of 4,096.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void each_database_runs_its_own_migrations_also_after_the_shared_ones(TestDatabases.Target db) throws Exception {
        for (boolean madeBefore : new boolean[] {false, true}) {
            TestDatabases.Target target = madeBefore ? fresh(db) : db;
            if (madeBefore) {
                try (HikariDataSource old = pool(target)) {
                    // what engines did until now: the shared folder alone
                    Flyway.configure()
                            .dataSource(old)
                            .locations("classpath:db/migration")
                            .load()
                            .migrate();
                    try (Connection c = old.getConnection();
                            Statement st = c.createStatement()) {
                        st.execute(
                                "INSERT INTO meter (id, timezone, origin, created_at) VALUES ('m1', 'UTC', 'config', CURRENT_TIMESTAMP)");
                        st.execute("INSERT INTO series (meter_id, signal, kind) VALUES ('m1', 'kw', 'gauge')");
                        try (var ps = c.prepareStatement(
                                "INSERT INTO sample_block (series_id, hour_start,"
                                        + " sample_count, first_millis, last_millis, value_sum, value_min, value_max,"
                                        + " first_value, last_value, samples, minutes, updated_at)"
                                        + " SELECT id, 1735689600, 1, 0, 0, 5, 5, 5, 5, 5, ?, ?, CURRENT_TIMESTAMP FROM series")) {
                            ps.setBytes(1, new byte[] {0});
                            ps.setBytes(2, new byte[] {0});
                            ps.executeUpdate();
                        }
                    }
                }
            }
            try (HikariDataSource ds = Database.open(target.url(), target.user(), "", 2, 5_000, 5_000)) {
                assertEquals(
                        List.of(19L, 21L),
                        Sql.query(
                                ds,
                                "SELECT CAST(\"version\" AS BIGINT) FROM \"flyway_schema_history\""
                                        + " WHERE \"version\" IN ('19', '21') AND \"success\" ORDER BY 1",
                                0,
                                rs -> rs.getLong(1)),
                        target + (madeBefore ? ", made before" : ", new") + ": the vendor migrations ran");
                if (target.url().startsWith("jdbc:postgresql:")) {
                    assertTrue(new Partitions(ds).partitioned(), "sample_block partitioned by month");
                } else {
                    assertEquals(
                            4096,
                            Sql.queryLong(
                                    ds,
                                    "SELECT IDENTITY_CACHE FROM INFORMATION_SCHEMA.COLUMNS"
                                            + " WHERE TABLE_NAME = 'INGESTED_FILE' AND COLUMN_NAME = 'ID'"));
                    if (madeBefore) {
                        // the block stored before, keyed by its series and hour, found by the store's reads
                        long series = Sql.queryLong(ds, "SELECT id FROM series");
                        assertEquals(
                                BlockKeys.key(series, 1735689600),
                                Sql.queryLong(ds, "SELECT block_key FROM sample_block"));
                        assertEquals(1, new MeterStats(ds).summary("m1").samples(), "found by its key's range");
                    }
                }
                assertEquals(
                        madeBefore ? 5 : 0,
                        Sql.queryLong(ds, "SELECT COALESCE(SUM(value_sum), 0) FROM sample_hours"),
                        "the blocks stored before are still there, through the view of every hour");
            }
        }
    }

    private static TestDatabases.Target fresh(TestDatabases.Target like) {
        return like.url().startsWith("jdbc:postgresql:") ? TestDatabases.postgres() : TestDatabases.h2();
    }

    private static HikariDataSource pool(TestDatabases.Target db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.url());
        config.setUsername(db.user());
        config.setMaximumPoolSize(2);
        return new HikariDataSource(config);
    }
}
