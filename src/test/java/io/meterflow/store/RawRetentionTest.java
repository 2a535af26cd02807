package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.export.ExportException;
import io.meterflow.export.ExportRequest;
import io.meterflow.series.Aggregation;
import io.meterflow.series.Resolution;
import io.meterflow.settings.Setting;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The raw retention on H2 and PostgreSQL: months older than the retention keep their rollups, so
 * exports at a minute and coarser are unchanged, while their raw samples (and, on PostgreSQL,
 * their monthly partitions) go; 1sec exports of them are refused; later rows for them are skipped.
 */
class RawRetentionTest {

    @TempDir
    Path dir;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    /** A file of {@code hours} hours of 10-second rows from {@code start}: kw = second of the day mod 97. */
    private Path file(String name, Instant start, int hours) throws Exception {
        return file(name, start, hours, 10);
    }

    /** A file of {@code hours} hours of rows every {@code step} seconds from {@code start}. */
    private Path file(String name, Instant start, int hours, int step) throws Exception {
        StringBuilder sb = new StringBuilder("timestamp,kw\n");
        for (int s = 0; s < hours * 3600; s += step) {
            sb.append(start.plusSeconds(s)).append(',').append((s / 10) % 97).append('\n');
        }
        Path f = dir.resolve("inbox/ecc38a217ccc/" + name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, sb);
        return f;
    }

    private static String export(Engine engine, Instant start, Instant end, Resolution resolution) throws Exception {
        ExportRequest r = new ExportRequest(
                List.of(engine.registry().find("ecc38a217ccc")),
                start,
                end,
                resolution,
                Aggregation.MEAN,
                ZoneOffset.UTC,
                "x",
                true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        engine.compositeExport().write(r, out, rows -> {});
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void old_months_keep_their_rollups_and_lose_their_raw_samples(TestDatabases.Target db) throws Exception {
        try (Engine engine = TestEngines.start(dir, db, Map.of(Setting.STORE_RAW_RETENTION_DAYS.key(), "30"))) {
            Instant old = Instant.parse("2025-01-06T00:00:00Z");
            Instant recent = Instant.now().minus(Duration.ofDays(1)).truncatedTo(ChronoUnit.HOURS);
            assertTrue(engine.fileIngestor()
                    .ingestDropped(file("old.csv", old, 3).toFile())
                    .ingested());
            // and a day later an hour of 1-minute rows, whose minute rollups are made from its samples
            Instant sparse = old.plusSeconds(86_400);
            assertTrue(engine.fileIngestor()
                    .ingestDropped(file("sparse.csv", sparse, 1, 60).toFile())
                    .ingested());
            assertTrue(engine.fileIngestor()
                    .ingestDropped(file("recent.csv", recent, 1).toFile())
                    .ingested());
            long samples = engine.store().sampleCount();
            assertEquals(4 * 360 + 60, samples);
            String sparseMinutes = export(engine, sparse, sparse.plusSeconds(3599), Resolution.MIN_1);
            String oldMinutes = export(engine, old, old.plusSeconds(3 * 3600 - 1), Resolution.MIN_1);
            String oldHours = export(engine, old, old.plusSeconds(3 * 3600 - 1), Resolution.HR_1);
            String recentSeconds = export(engine, recent, recent.plusSeconds(3599), Resolution.SEC_1);
            // a span whose old hours will be read from the rollups and its recent one from a block
            String spanHours = export(engine, old, recent.plusSeconds(3599), Resolution.HR_1);
            boolean partitioned = engine.store().partitions().partitioned();
            assertEquals(db.url().startsWith("jdbc:postgresql:"), partitioned, "partitioned on PostgreSQL only");
            if (partitioned) {
                assertTrue(
                        engine.store().partitions().months().stream()
                                .anyMatch(m -> m.table().equals("sample_block_y2025m01")),
                        "a partition per month: " + engine.store().partitions().months());
            }

            assertEquals(4, engine.rawRetention().apply(), "four series-hours of January moved");
            assertEquals(0, engine.rawRetention().apply(), "idempotent");

            assertEquals(oldMinutes, export(engine, old, old.plusSeconds(3 * 3600 - 1), Resolution.MIN_1));
            assertEquals(sparseMinutes, export(engine, sparse, sparse.plusSeconds(3599), Resolution.MIN_1));
            assertEquals(oldHours, export(engine, old, old.plusSeconds(3 * 3600 - 1), Resolution.HR_1));
            assertEquals(recentSeconds, export(engine, recent, recent.plusSeconds(3599), Resolution.SEC_1));
            assertEquals(spanHours, export(engine, old, recent.plusSeconds(3599), Resolution.HR_1));
            ExportException expired = assertThrows(
                    ExportException.class, () -> export(engine, old, old.plusSeconds(3599), Resolution.SEC_1));
            assertEquals("RAW_DATA_EXPIRED", expired.code());
            assertEquals(
                    0,
                    Sql.queryLong(
                            engine.dataSource(),
                            "SELECT COUNT(*) FROM sample_block WHERE hour_start < ?",
                            Instant.parse("2025-02-01T00:00:00Z").getEpochSecond()),
                    "no raw block of January left");
            assertEquals(4, Sql.queryLong(engine.dataSource(), "SELECT COUNT(*) FROM sample_rollup"));
            assertEquals(samples, engine.store().sampleCount(), "samples stored are still counted");
            if (partitioned) {
                assertTrue(
                        engine.store().partitions().months().stream()
                                .noneMatch(m -> m.table().equals("sample_block_y2025m01")),
                        "January's partition dropped: "
                                + engine.store().partitions().months());
            }

            // rows of a month the retention no longer keeps raw are skipped; recent ones are stored
            assertTrue(engine.fileIngestor()
                    .ingestDropped(
                            file("late.csv", old.plusSeconds(2 * 86_400), 1).toFile())
                    .ingested());
            assertEquals(samples, engine.store().sampleCount(), "nothing of the late old file stored");
            assertTrue(engine.fileIngestor()
                    .ingestDropped(file("next.csv", recent.plusSeconds(3600), 1).toFile())
                    .ingested());
            assertEquals(samples + 360, engine.store().sampleCount());
        }
    }
}
