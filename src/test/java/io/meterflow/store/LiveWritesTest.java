package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.series.Rollup;
import io.meterflow.series.Sample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writes into an open hour whose block is stored are appended as pending rows (the block is not
 * rewritten), every reader sees them merged, each value is counted once, and once the hour has
 * closed they are folded into a block equal to the one a single write of the same data makes.
 */
class LiveWritesTest {

    @TempDir
    Path dir;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    /** The open hour of the tests. */
    private static final long HOUR = Instant.parse("2025-06-01T10:00:00Z").getEpochSecond();

    /** Ten minutes into the hour: it is open. */
    private static final Clock DURING = Clock.fixed(Instant.ofEpochSecond(HOUR + 600), ZoneOffset.UTC);

    /** After the hour's end and its grace: it has closed. */
    private static final Clock AFTER =
            Clock.fixed(Instant.ofEpochSecond(HOUR + 3600 + SampleStore.OPEN_HOUR_GRACE_SECONDS + 1), ZoneOffset.UTC);

    /** What the store must hold: value by epoch millis. */
    private final TreeMap<Long, Double> expected = new TreeMap<>();

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void frames_of_an_open_hour_are_appended_read_merged_and_folded_once_it_closes(TestDatabases.Target db)
            throws Exception {
        try (Engine engine = TestEngines.startWithoutMetersFile(dir, db)) {
            long kw = series(engine);
            SampleStore live = new SampleStore(engine.store().dataSource(), DURING);
            long totalBefore = live.sampleCount();

            write(live, kw, 0, 600, 0); // a new hour: its block is inserted whole
            byte[] block = blockSamples(live, kw);
            write(live, kw, 600, 700, 0);
            write(live, kw, 700, 800, 0);
            write(live, kw, 650, 660, 1000); // ten values again, later: they win
            write(live, kw, 5, 6, 2000); // and one in the stored block

            assertEquals(4, pendingRows(live), "one pending row per frame into the stored block");
            assertArrayEquals(block, blockSamples(live, kw), "the stored block is not rewritten");
            assertEquals(800, live.sampleCount() - totalBefore, "each value counted once");
            assertReadsAsExpected(engine, live, kw);

            // a fold before the hour closes leaves it open
            try (WriteSession s = live.openSession()) {
                assertEquals(0, s.foldClosedHours());
                s.commit();
            }
            assertEquals(4, pendingRows(live));

            SampleStore later = new SampleStore(engine.store().dataSource(), AFTER);
            try (WriteSession s = later.openSession()) {
                assertEquals(1, s.foldClosedHours(), "one series-hour folded");
                s.commit();
            }
            assertEquals(0, pendingRows(later));
            assertArrayEquals(
                    encoded(kw).samples(), blockSamples(later, kw), "the same block as one write of the same data");
            assertEquals(800, later.sampleCount() - totalBefore);
            assertReadsAsExpected(engine, later, kw);
            try (WriteSession s = later.openSession()) {
                assertEquals(0, s.foldClosedHours(), "folded once");
                s.commit();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_write_into_a_closed_hour_folds_its_pending_rows_first(TestDatabases.Target db) throws Exception {
        try (Engine engine = TestEngines.startWithoutMetersFile(dir, db)) {
            long kw = series(engine);
            SampleStore live = new SampleStore(engine.store().dataSource(), DURING);
            long totalBefore = live.sampleCount();
            write(live, kw, 0, 100, 0);
            write(live, kw, 100, 200, 0);
            write(live, kw, 150, 160, 500); // pending: a value at 150..159 that a late write replaces
            assertEquals(2, pendingRows(live));

            // the hour has closed; a late file rewrites part of it before the fold has run
            SampleStore later = new SampleStore(engine.store().dataSource(), AFTER);
            write(later, kw, 155, 300, 900);
            assertEquals(0, pendingRows(later), "folded by the write, in order");
            assertArrayEquals(encoded(kw).samples(), blockSamples(later, kw));
            assertEquals(300, later.sampleCount() - totalBefore);
            assertEquals(300, engine.meterStats().summary("m1").samples());
            assertReadsAsExpected(engine, later, kw);
        }
    }

    /** Every reader: raw samples, second slots, minute rollups (windowed and of one hour), the meter's stats. */
    private void assertReadsAsExpected(Engine engine, SampleStore store, long kw) {
        List<Sample> raw = store.samples(kw, HOUR * 1000, (HOUR + 3600) * 1000);
        List<Sample> want = new ArrayList<>();
        expected.forEach((t, v) -> want.add(new Sample(t, v)));
        assertEquals(want, raw, "raw samples");

        Rollup[] minutes = rollups(expected, 60_000);
        Rollup[] seconds = rollups(expected, 1000);
        List<Rollup[]> read = new ArrayList<>();
        store.forEachHour(new long[] {kw}, HOUR, HOUR + 3600, false, (hour, slots) -> read.add(slots[0]));
        store.forEachHour(new long[] {kw}, HOUR, HOUR + 3600, true, (hour, slots) -> read.add(slots[0]));
        assertEquals(2, read.size());
        assertArrayEquals(minutes, read.get(0), "minute rollups");
        assertArrayEquals(seconds, read.get(1), "second slots");
        assertArrayEquals(minutes, store.minuteRollups(kw, HOUR), "minute rollups of one hour");

        MeterStats.Summary s = engine.meterStats().summary("m1");
        assertEquals(expected.size(), s.samples());
        assertEquals(Instant.ofEpochMilli(expected.lastKey()), s.latest());
        assertEquals(Instant.ofEpochMilli(expected.firstKey()), s.earliest());
        assertEquals(1, s.hoursWithData());
        assertEquals(
                (long) expected.size(),
                engine.meterStats().samplesPerHour("m1", HOUR, HOUR + 3600).get(HOUR));
        assertEquals(
                Instant.ofEpochMilli(expected.lastKey()),
                engine.meterStats().latestSamples().get("m1"));
    }

    /** Writes and commits seconds {@code from <= s < to} of the hour: value = s + offset. */
    private void write(SampleStore store, long series, int from, int to, double offset) {
        int n = to - from;
        long[] millis = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            millis[i] = (HOUR + from + i) * 1000;
            values[i] = from + i + offset;
            expected.put(millis[i], values[i]);
        }
        try (WriteSession s = store.openSession()) {
            s.write(List.of(EncodedBlock.encode(series, HOUR, millis, values, n)));
            s.commit();
        }
    }

    /** The expected samples, encoded as one block. */
    private EncodedBlock encoded(long series) {
        long[] millis = expected.keySet().stream().mapToLong(Long::longValue).toArray();
        double[] values =
                expected.values().stream().mapToDouble(Double::doubleValue).toArray();
        return EncodedBlock.encode(series, HOUR, millis, values, millis.length);
    }

    /** Slot rollups of the expected samples, as a reader computes them from the raw samples. */
    private static Rollup[] rollups(TreeMap<Long, Double> samples, int slotMillis) {
        long[] millis = samples.keySet().stream().mapToLong(Long::longValue).toArray();
        double[] values =
                samples.values().stream().mapToDouble(Double::doubleValue).toArray();
        return BlockCodec.slotRollups(HOUR * 1000, millis, values, millis.length, slotMillis);
    }

    private static byte[] blockSamples(SampleStore store, long series) {
        return Sql.query(
                        store.dataSource(),
                        "SELECT samples FROM sample_block WHERE series_id = ? AND hour_start = ?",
                        1,
                        rs -> rs.getBytes(1),
                        series,
                        HOUR)
                .get(0);
    }

    private static long pendingRows(SampleStore store) {
        return Sql.queryLong(store.dataSource(), "SELECT COUNT(*) FROM sample_delta");
    }

    /** Series kw of meter m1, made by ingesting a one-row file of another day. */
    private long series(Engine engine) throws Exception {
        Path f = dir.resolve("inbox/m1/first.csv");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "timestamp,kw\n2025-06-01T10:00:00Z,0\n");
        assertTrue(engine.fileIngestor().ingestDropped(f.toFile()).ingested());
        long id = engine.catalog().list("m1").get(0).id();
        Sql.update(engine.store().dataSource(), "DELETE FROM sample_block WHERE series_id = ?", id);
        Sql.update(engine.store().dataSource(), "UPDATE sample_total SET samples = 0");
        return id;
    }
}
