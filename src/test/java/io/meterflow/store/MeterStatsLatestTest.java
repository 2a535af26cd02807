package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MeterStats#latestSamples} (the ingest lag gauges and {@code /list_meters}) reads each
 * series' newest block backwards along the primary key: newer hours, later rows of the same hour,
 * older files, other meters and blocks that went must all show as a full read would show them.
 */
class MeterStatsLatestTest {

    @TempDir
    Path dir;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    private int files;

    /** Ingests rows every 10 s from {@code from} to {@code to} (inclusive) for {@code meter}. */
    private void ingest(Engine engine, String meter, String from, String to) throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,kw\n");
        for (Instant t = Instant.parse(from); !t.isAfter(Instant.parse(to)); t = t.plusSeconds(10)) {
            csv.append(t).append(",1.5\n");
        }
        Path f = dir.resolve("inbox/" + meter + "/f" + files++ + ".csv");
        Files.createDirectories(f.getParent());
        Files.writeString(f, csv);
        assertTrue(engine.fileIngestor().ingestDropped(f.toFile()).ingested());
    }

    private static void sql(Engine engine, String statement) throws Exception {
        try (Connection c = engine.store().dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void the_latest_sample_of_each_meter_follows_every_write(TestDatabases.Target db) throws Exception {
        try (Engine engine = TestEngines.startWithoutMetersFile(dir, db)) {
            MeterStats stats = engine.meterStats();
            assertEquals(Map.of(), stats.latestSamples());

            ingest(engine, "m1", "2025-01-02T10:00:00Z", "2025-01-02T10:59:50Z");
            assertEquals(Map.of("m1", Instant.parse("2025-01-02T10:59:50Z")), stats.latestSamples());

            ingest(engine, "m1", "2025-01-03T05:00:00Z", "2025-01-03T05:20:00Z"); // a newer hour
            assertEquals(Map.of("m1", Instant.parse("2025-01-03T05:20:00Z")), stats.latestSamples());

            ingest(engine, "m1", "2025-01-01T00:00:00Z", "2025-01-01T03:00:00Z"); // older hours
            assertEquals(Map.of("m1", Instant.parse("2025-01-03T05:20:00Z")), stats.latestSamples());

            ingest(engine, "m1", "2025-01-03T05:30:00Z", "2025-01-03T05:40:00Z"); // later in the same hour
            ingest(engine, "m2", "2024-12-31T23:00:00Z", "2024-12-31T23:10:00Z");
            assertEquals(
                    Map.of(
                            "m1", Instant.parse("2025-01-03T05:40:00Z"),
                            "m2", Instant.parse("2024-12-31T23:10:00Z")),
                    stats.latestSamples());

            // the newest block goes, and then every block of a series
            long newestHour = Instant.parse("2025-01-03T05:00:00Z").getEpochSecond();
            sql(engine, "DELETE FROM sample_block WHERE hour_start = " + newestHour);
            assertEquals(
                    Map.of(
                            "m1", Instant.parse("2025-01-02T10:59:50Z"),
                            "m2", Instant.parse("2024-12-31T23:10:00Z")),
                    stats.latestSamples());
            sql(engine, "DELETE FROM sample_block WHERE series_id IN (SELECT id FROM series WHERE meter_id = 'm1')");
            assertEquals(Map.of("m2", Instant.parse("2024-12-31T23:10:00Z")), stats.latestSamples());

            // a fresh reader (another engine, a restart) sees the same
            assertEquals(stats.latestSamples(), new MeterStats(engine.store().dataSource()).latestSamples());
        }
    }
}
