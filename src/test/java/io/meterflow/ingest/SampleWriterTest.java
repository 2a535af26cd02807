package io.meterflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.Meter;
import io.meterflow.series.Sample;
import io.meterflow.settings.Setting;
import io.meterflow.store.EncodedBlock;
import io.meterflow.store.WriteSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine's one writer: writes that wait while a transaction commits share the next one. */
class SampleWriterTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00:00Z

    @TempDir
    Path dir;

    private Engine engine;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** The writes of each committed transaction, in commit order. */
    private static final class Commits implements Metrics {
        final List<Integer> writes = new CopyOnWriteArrayList<>();

        @Override
        public void committed(int n, long nanos) {
            writes.add(n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void writes_that_wait_for_a_commit_share_the_next_transaction_and_each_is_stored(TestDatabases.Target db)
            throws Exception {
        Commits commits = new Commits();
        engine = TestEngines.start(
                dir,
                db,
                Map.of(Setting.METERS_FILE.key(), dir.resolve("none.yaml").toString()),
                commits);
        SampleWriter writer = engine.writer();
        Meter meter = engine.registry().findOrRegister("group1");
        CountDownLatch inTransaction = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the first write holds its transaction open until the others are queued behind it
        CompletableFuture<SampleWriter.Written> first = writer.writeAsync(meter, batch -> {
            batch.columns(new String[] {"kw"});
            batch.row(T0, new double[] {0.5});
            batch.alsoInTransaction(c -> {
                inTransaction.countDown();
                try {
                    assertTrue(release.await(30, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        });
        assertTrue(inTransaction.await(30, TimeUnit.SECONDS), "the first write is being committed");
        List<CompletableFuture<SampleWriter.Written>> queued = new ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            long at = T0 + i * HOUR + i * 1000L;
            double value = i * 1.25;
            queued.add(writer.writeAsync(meter, batch -> {
                batch.columns(new String[] {"kw"});
                batch.row(at, new double[] {value});
            }));
        }
        assertTrue(
                queued.stream().noneMatch(CompletableFuture::isDone),
                "none committed while the first holds the writer");
        release.countDown();
        assertEquals(1, first.get(30, TimeUnit.SECONDS).samples());
        for (CompletableFuture<SampleWriter.Written> f : queued) {
            assertEquals(1, f.get(30, TimeUnit.SECONDS).samples());
        }

        assertEquals(List.of(1, 50), commits.writes, "the 50 queued writes in one transaction");
        long series = engine.catalog().list("group1").get(0).id();
        List<Sample> stored = engine.store().samples(series, 0, Long.MAX_VALUE);
        assertEquals(51, stored.size());
        assertEquals(new Sample(T0, 0.5), stored.get(0));
        for (int i = 1; i <= 50; i++) {
            assertEquals(new Sample(T0 + i * HOUR + i * 1000L, i * 1.25), stored.get(i));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void blocks_of_one_hour_written_together_merge_with_the_stored_one_and_the_latest_value_wins(
            TestDatabases.Target db) throws Exception {
        engine = TestEngines.start(
                dir,
                db,
                Map.of(Setting.METERS_FILE.key(), dir.resolve("none.yaml").toString()));
        Meter meter = engine.registry().findOrRegister("merge1");
        engine.writer().write(meter, batch -> {
            batch.columns(new String[] {"kw"});
            for (int i = 0; i < 10; i++) {
                batch.row(T0 + i * 1000L, new double[] {1 + i}); // stored: seconds 0-9
            }
        });
        long series = engine.catalog().list("merge1").get(0).id();
        long hour = T0 / 1000;
        try (WriteSession session = engine.store().openSession()) {
            session.write(List.of(
                    block(series, hour, 5, 15, 100), // seconds 5-14
                    block(series, hour + 3600, 0, 3, 400), // the next hour, alone
                    block(series, hour, 8, 21, 200), // seconds 8-20, later: wins over the one before
                    block(series, hour, 0, 1, 300))); // second 0, latest
            session.commit();
        }
        List<Sample> stored = engine.store().samples(series, 0, Long.MAX_VALUE);
        List<Sample> expected = new ArrayList<>();
        expected.add(new Sample(T0, 300));
        for (int i = 1; i < 5; i++) {
            expected.add(new Sample(T0 + i * 1000L, 1 + i));
        }
        for (int i = 5; i < 8; i++) {
            expected.add(new Sample(T0 + i * 1000L, 100 + i));
        }
        for (int i = 8; i < 21; i++) {
            expected.add(new Sample(T0 + i * 1000L, 200 + i));
        }
        for (int i = 0; i < 3; i++) {
            expected.add(new Sample(T0 + HOUR + i * 1000L, 400 + i));
        }
        assertEquals(expected, stored);
        assertEquals(24, engine.store().sampleCount(), "the store's total counts each sample once");
        assertEquals(
                21,
                engine.store().minuteRollups(series, hour)[0].count(),
                "the hour's first minute rollup holds its 21 samples");
    }

    /** Samples at seconds {@code from..to-1} of the hour, value {@code base + second}. */
    private static EncodedBlock block(long series, long hour, int from, int to, double base) {
        long[] millis = new long[to - from];
        double[] values = new double[to - from];
        for (int i = from; i < to; i++) {
            millis[i - from] = hour * 1000 + i * 1000L;
            values[i - from] = base + i;
        }
        return EncodedBlock.encode(series, hour, millis, values, to - from);
    }
}
