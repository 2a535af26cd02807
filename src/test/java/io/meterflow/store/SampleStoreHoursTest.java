package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.series.Rollup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SampleStore#forEachHour} reads a long span in several queries of a window of hours each:
 * every stored hour comes once, in time order, on both sides of a window's edge.
 */
class SampleStoreHoursTest {

    @TempDir
    Path dir;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    private static final Instant FIRST = Instant.parse("2020-01-01T00:00:00Z");

    /** Hours (from FIRST) holding a row: around the edges of the windows of one and of two series. */
    private static final int[] HOURS = {0, 1, 2047, 2048, 2049, 4095, 4096, 4097, 6143, 6144, 9000};

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void every_hour_of_a_span_longer_than_a_window_comes_once_in_order(TestDatabases.Target db) throws Exception {
        try (Engine engine = TestEngines.startWithoutMetersFile(dir, db)) {
            StringBuilder csv = new StringBuilder("timestamp,kw,pos_ae\n");
            for (int h : HOURS) {
                // a row in the hour's minute 7 and second 30: kw = the hour, pos_ae = the hour + 0.5
                csv.append(FIRST.plusSeconds(h * 3600L + 7 * 60 + 30))
                        .append(',')
                        .append(h)
                        .append(',')
                        .append(h + 0.5)
                        .append('\n');
            }
            Path f = dir.resolve("inbox/m1/sparse.csv");
            Files.createDirectories(f.getParent());
            Files.writeString(f, csv);
            assertTrue(engine.fileIngestor().ingestDropped(f.toFile()).ingested());
            long kw = seriesId(engine, "kw");
            long pos = seriesId(engine, "pos_ae");
            long from = FIRST.getEpochSecond();
            long to = from + 10_000 * 3600L;
            SampleStore store = engine.store();

            for (long[] ids : List.of(new long[] {kw}, new long[] {pos, kw})) {
                List<Long> hours = new ArrayList<>();
                store.forEachHour(ids, from, to, false, (hour, slots) -> {
                    hours.add((hour - from) / 3600);
                    for (int s = 0; s < ids.length; s++) {
                        double expected = (hour - from) / 3600 + (ids[s] == pos ? 0.5 : 0);
                        assertEquals(new Rollup(1, expected, expected, expected, expected, expected), slots[s][7]);
                        assertNull(slots[s][8]);
                    }
                });
                assertEquals(hours(), hours, "minute rollups of " + ids.length + " series");

                List<Long> seconds = new ArrayList<>();
                store.forEachHour(ids, from, to, true, (hour, slots) -> {
                    seconds.add((hour - from) / 3600);
                    assertEquals(1, slots[0][7 * 60 + 30].count());
                });
                assertEquals(hours(), seconds, "second slots of " + ids.length + " series");
            }

            // a span that starts inside the data and ends before its last hour
            List<Long> middle = new ArrayList<>();
            store.forEachHour(
                    new long[] {kw},
                    from + 2048 * 3600L,
                    from + 6144 * 3600L,
                    false,
                    (hour, slots) -> middle.add((hour - from) / 3600));
            assertEquals(List.of(2048L, 2049L, 4095L, 4096L, 4097L, 6143L), middle);
        }
    }

    private static long seriesId(Engine engine, String signal) {
        return engine.catalog().list("m1").stream()
                .filter(s -> s.signal().equals(signal))
                .findFirst()
                .orElseThrow()
                .id();
    }

    private static List<Long> hours() {
        List<Long> l = new ArrayList<>();
        for (int h : HOURS) {
            l.add((long) h);
        }
        return l;
    }
}
