package io.meterflow.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.series.Rollup;
import io.meterflow.series.Sample;
import io.meterflow.store.EncodedBlock;
import io.meterflow.store.WriteSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The ingest path against real databases: H2 always, PostgreSQL when it runs. */
class FileIngestorTest {

    @TempDir
    Path dir;

    private Engine engine;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    private Engine start(TestDatabases.Target db) {
        engine = TestEngines.startWithoutMetersFile(dir, db);
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private Path file(String relative, String content) throws Exception {
        Path p = dir.resolve("inbox").resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static String rows(String startLocal, int seconds, int count, double base) {
        StringBuilder sb = new StringBuilder("timestamp,kw,pos_ae\n");
        LocalDateTime t = LocalDateTime.parse(startLocal);
        for (int i = 0; i < count; i++) {
            sb.append(t.plusSeconds((long) i * seconds).toString().replace('T', ' '));
            if (t.plusSeconds((long) i * seconds).getSecond() == 0) {
                sb.append(":00");
            }
            sb.append(',').append(base + i).append(',').append(1000 + i * 0.5).append('\n');
        }
        return sb.toString();
    }

    private long seriesId(String meter, String signal) throws Exception {
        try (Connection c = engine.store().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM series WHERE meter_id = ? AND signal = ?")) {
            ps.setString(1, meter);
            ps.setString(2, signal);
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "series " + meter + "/" + signal);
                return rs.getLong(1);
            }
        }
    }

    private List<Sample> samples(String meter, String signal) throws Exception {
        return engine.store().samples(seriesId(meter, signal), 0, Long.MAX_VALUE);
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void a_dropped_file_is_stored_with_exact_values_and_moved_to_done(TestDatabases.Target db) throws Exception {
        start(db);
        Path f = file("m1/AN1-E-2025-01-01T00-00-00-0500-1sec.csv", rows("2025-01-01T00:00:00", 1, 90, 10.25));
        IngestReport report = engine.fileIngestor().ingestDropped(f.toFile());
        assertTrue(report.ingested(), report.toString());
        assertEquals(90, report.stats().rows);
        assertEquals(180, report.samplesWritten());
        List<Sample> kw = samples("m1", "kw");
        assertEquals(90, kw.size());
        assertEquals(new Sample(ms("2025-01-01T05:00:00Z"), 10.25), kw.get(0));
        assertEquals(new Sample(ms("2025-01-01T05:01:29Z"), 99.25), kw.get(89));
        assertEquals(180, engine.store().sampleCount());
        assertFalse(Files.exists(f));
        assertTrue(Files.exists(dir.resolve("inbox/.done/m1/AN1-E-2025-01-01T00-00-00-0500-1sec.csv")));
        // minute rollups: minute 0 holds 60 samples 10.25..69.25, minute 1 the other 30
        Rollup[] minutes = engine.store().minuteRollups(seriesId("m1", "kw"), ms("2025-01-01T05:00:00Z") / 1000);
        assertEquals(new Rollup(60, 60 * 10.25 + 1770, 10.25, 69.25, 10.25, 69.25), minutes[0]);
        assertEquals(30, minutes[1].count());
        assertEquals(
                engine.registry().defaultZone(), engine.registry().find("m1").zone());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void many_files_ingested_at_once_share_the_writer_and_are_all_stored_exactly(TestDatabases.Target db)
            throws Exception {
        start(db);
        int files = 24;
        List<Path> paths = new ArrayList<>();
        for (int h = 0; h < files; h++) {
            paths.add(file(
                    "m" + (h % 3) + "/hour-" + h + ".csv",
                    rows("2025-01-01T%02d:00:00".formatted(h), 1, 3600, h * 10_000)));
        }
        ExecutorService callers = Executors.newFixedThreadPool(files);
        try {
            List<Future<IngestReport>> reports = new ArrayList<>();
            for (Path p : paths) {
                reports.add(callers.submit(() -> engine.fileIngestor().ingestDropped(p.toFile())));
            }
            for (Future<IngestReport> r : reports) {
                assertTrue(r.get(60, TimeUnit.SECONDS).ingested());
            }
        } finally {
            callers.shutdownNow();
        }
        assertEquals(files * 3600L * 2, engine.store().sampleCount());
        for (int m = 0; m < 3; m++) {
            List<Sample> kw = samples("m" + m, "kw");
            assertEquals(files / 3 * 3600, kw.size());
            for (Sample s : kw) {
                // a row's value is 10,000 x its file's hour plus its second within the hour
                long sinceMidnight = (s.epochMillis() - ms("2025-01-01T05:00:00Z")) / 1000;
                assertEquals((sinceMidnight / 3600) * 10_000 + sinceMidnight % 3600, s.value(), 1e-9);
                assertEquals(m, (sinceMidnight / 3600) % 3);
            }
        }
        for (int h = 0; h < files; h++) {
            assertTrue(Files.exists(dir.resolve("inbox/.done/m" + (h % 3) + "/hour-" + h + ".csv")), "file " + h);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void a_meter_registered_by_a_new_folder_is_still_known_after_a_restart(TestDatabases.Target db) throws Exception {
        start(db);
        engine.fileIngestor()
                .ingestDropped(file("m-new/a.csv", rows("2025-01-01T00:00:00", 60, 5, 1))
                        .toFile());
        engine.close();
        engine = null;
        start(db);
        assertEquals(
                List.of("m-new"),
                engine.registry().all().stream().map(m -> m.id()).toList());
        assertTrue(engine.api().meters().listMeters(null).body().toString().contains("m-new"));
        assertEquals(
                engine.registry().defaultZone(), engine.registry().find("m-new").zone());
        assertEquals("m-new-", engine.registry().find("m-new").serial());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void re_ingesting_the_same_file_never_duplicates(TestDatabases.Target db) throws Exception {
        start(db);
        String content = rows("2025-01-01T00:59:00", 1, 120, 1);
        engine.fileIngestor().ingestDropped(file("m1/a.csv", content).toFile());
        engine.fileIngestor().ingestDropped(file("m1/a.csv", content).toFile());
        assertEquals(240, engine.store().sampleCount());
        assertEquals(120, samples("m1", "kw").size());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void overlapping_files_keep_one_value_per_timestamp_and_the_latest_wins(TestDatabases.Target db) throws Exception {
        start(db);
        engine.fileIngestor()
                .ingestDropped(
                        file("m1/a.csv", rows("2025-01-01T00:00:00", 60, 10, 0)).toFile());
        engine.fileIngestor()
                .ingestDropped(file("m1/b.csv", rows("2025-01-01T00:05:00", 60, 10, 100))
                        .toFile());
        List<Sample> kw = samples("m1", "kw");
        assertEquals(15, kw.size());
        assertEquals(4.0, kw.get(4).value());
        assertEquals(100.0, kw.get(5).value());
        assertEquals(109.0, kw.get(14).value());
        Rollup minute5 = engine.store().minuteRollups(seriesId("m1", "kw"), ms("2025-01-01T05:00:00Z") / 1000)[5];
        assertEquals(new Rollup(1, 100, 100, 100, 100, 100), minute5);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void late_out_of_order_data_keeps_rollups_exact(TestDatabases.Target db) throws Exception {
        start(db);
        engine.fileIngestor()
                .ingestDropped(file("m1/a.csv", "timestamp,kw\n2025-01-01 00:00:10,2\n2025-01-01 00:00:50,4\n")
                        .toFile());
        engine.fileIngestor()
                .ingestDropped(file("m1/b.csv", "timestamp,kw\n2025-01-01 00:00:30,6\n2025-01-01 00:00:05,8\n")
                        .toFile());
        Rollup minute0 = engine.store().minuteRollups(seriesId("m1", "kw"), ms("2025-01-01T05:00:00Z") / 1000)[0];
        assertEquals(new Rollup(4, 20, 2, 8, 8, 4), minute0);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void duplicate_rows_in_a_file_keep_the_last_and_are_counted(TestDatabases.Target db) throws Exception {
        start(db);
        IngestReport report = engine.fileIngestor()
                .ingestDropped(file(
                                "m1/a.csv",
                                "timestamp,kw\n2025-01-01 00:00:00,1\n2025-01-01 00:00:01,2\n2025-01-01 00:00:00,3\n")
                        .toFile());
        assertEquals(1, report.stats().duplicateRows);
        assertEquals(
                List.of(new Sample(ms("2025-01-01T05:00:00Z"), 3), new Sample(ms("2025-01-01T05:00:01Z"), 2)),
                samples("m1", "kw"));
    }

    @ParameterizedTest
    @MethodSource("databases")
    void a_rejected_file_goes_to_error_with_a_reason_and_stored_data_is_kept(TestDatabases.Target db) throws Exception {
        start(db);
        engine.fileIngestor()
                .ingestDropped(file("m1/good.csv", rows("2025-01-01T00:00:00", 1, 10, 0))
                        .toFile());
        IngestReport report = engine.fileIngestor()
                .ingestDropped(file("m1/sub/bad.csv", "a,b\n1,2\n").toFile());
        assertFalse(report.ingested());
        assertEquals(20, engine.store().sampleCount());
        Path reason = dir.resolve("inbox/.error/m1/sub/bad.csv.reason");
        assertTrue(Files.exists(dir.resolve("inbox/.error/m1/sub/bad.csv")));
        assertTrue(Files.readString(reason).startsWith("no timestamp column"), Files.readString(reason));
        assertEquals(1, Files.readAllLines(reason).size());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void folders_that_are_not_meter_ids_and_files_outside_meter_folders_are_rejected(TestDatabases.Target db)
            throws Exception {
        start(db);
        IngestReport badId = engine.fileIngestor()
                .ingestDropped(file("bad id!/a.csv", rows("2025-01-01T00:00:00", 1, 3, 0))
                        .toFile());
        assertFalse(badId.ingested());
        assertTrue(badId.reason().contains("may hold only letters, digits"), badId.reason());
        IngestReport loose = engine.fileIngestor()
                .ingestDropped(
                        file("loose.csv", rows("2025-01-01T00:00:00", 1, 3, 0)).toFile());
        assertTrue(loose.reason().startsWith("file is not in a meter folder"), loose.reason());
        assertTrue(Files.exists(dir.resolve("inbox/.error/loose.csv.reason")));
        assertEquals(0, engine.store().sampleCount());
        assertEquals(0, engine.meterTable().count());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void a_transaction_that_does_not_commit_leaves_nothing_behind(TestDatabases.Target db) throws Exception {
        start(db);
        engine.fileIngestor()
                .ingestDropped(file("m1/good.csv", rows("2025-01-01T00:00:00", 1, 10, 0))
                        .toFile());
        long kw = seriesId("m1", "kw");
        long hour = ms("2025-01-01T05:00:00Z") / 1000;
        // a writer that dies after writing two hours, one of them over stored data, before commit
        try (WriteSession session = engine.store().openSession()) {
            session.write(List.of(
                    EncodedBlock.encode(kw, hour, new long[] {hour * 1000}, new double[] {-1}, 1),
                    EncodedBlock.encode(kw, hour + 3600, new long[] {hour * 1000 + 3_600_000}, new double[] {-2}, 1)));
        }
        assertEquals(20, engine.store().sampleCount());
        List<Sample> stored = samples("m1", "kw");
        assertEquals(10, stored.size());
        assertEquals(0.0, stored.get(0).value());
    }

    @ParameterizedTest
    @MethodSource("databases")
    void a_local_time_file_through_the_autumn_overlap_keeps_both_hours(TestDatabases.Target db) throws Exception {
        start(db);
        StringBuilder csv = new StringBuilder("timestamp,kw\n");
        String[] hours = {"00", "01", "01", "02"};
        int value = 0;
        for (String h : hours) {
            for (int m = 0; m < 60; m += 15) {
                csv.append("2025-11-02 ")
                        .append(h)
                        .append(':')
                        .append(m == 0 ? "00" : m)
                        .append(":00,")
                        .append(value++)
                        .append('\n');
            }
        }
        IngestReport report = engine.fileIngestor()
                .ingestDropped(file("m1/dst.csv", csv.toString()).toFile());
        assertEquals(0, report.stats().duplicateRows);
        List<Sample> kw = samples("m1", "kw");
        assertEquals(16, kw.size());
        assertEquals(new Sample(ms("2025-11-02T04:00:00Z"), 0), kw.get(0));
        assertEquals(new Sample(ms("2025-11-02T05:00:00Z"), 4), kw.get(4));
        assertEquals(new Sample(ms("2025-11-02T06:00:00Z"), 8), kw.get(8));
        assertEquals(new Sample(ms("2025-11-02T07:45:00Z"), 15), kw.get(15));
    }
}
