package io.meterflow.export.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meterflow.SmallDisk;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.export.CompositeExport;
import io.meterflow.export.ExportException;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.Aggregation;
import io.meterflow.series.Resolution;
import io.meterflow.store.EngineHeartbeats;
import io.meterflow.store.EngineIdentity;
import io.meterflow.store.SeriesCatalog;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Scheduled export runs against a real H2 database, a real outbox folder and a real local HTTP receiver. */
class ScheduledExportsTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @TempDir
    Path dir;

    private Engine engine;
    private HttpServer receiver;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final List<String> receivedTypes = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        engine = TestEngines.start(dir, TestDatabases.h2());
        ingestTwoDays(engine, dir);

        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/in", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int status = failuresLeft.getAndDecrement() > 0 ? 500 : 200;
            if (status == 200) {
                received.add(body);
                receivedTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    /** Two days of one-minute data for T10: kw = minute of day, pos_ae rising 1 per minute. */
    private static void ingestTwoDays(Engine engine, Path engineDir) throws Exception {
        Path csv = engineDir.resolve("inbox/ecc38a217ccc/days.csv");
        Files.createDirectories(csv.getParent());
        StringBuilder sb = new StringBuilder("timestamp,kw,pos_ae\n");
        for (int m = 0; m < 2 * 1440; m++) {
            sb.append(Instant.parse("2025-01-06T05:00:00Z").plusSeconds(m * 60L))
                    .append(',')
                    .append(m % 1440)
                    .append(',')
                    .append(1000 + m)
                    .append('\n');
        }
        Files.writeString(csv, sb);
        assertTrue(engine.fileIngestor().ingestDropped(csv.toFile()).ingested());
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
        engine.close();
    }

    private ScheduledExports exports(ScheduledExport d, String localTime) {
        return exports(engine, d, localTime, dir.resolve("work"));
    }

    private ScheduledExports exports(Engine engine, ScheduledExport d, String localTime, Path work) {
        return exports(engine, d, localTime, work, dir.resolve("outbox"));
    }

    private ScheduledExports exports(Engine engine, ScheduledExport d, String localTime, Path work, Path outbox) {
        Clock clock = Clock.fixed(OffsetDateTime.parse(localTime).toInstant(), ZoneOffset.UTC);
        DataSource ds = engine.dataSource();
        return new ScheduledExports(
                List.of(d),
                new CompositeExport(engine.store(), new SeriesCatalog(ds)),
                // heartbeats on the real clock, like the engine's own (the test's clock is a day of 2025)
                new ExportRunTable(ds, new EngineHeartbeats(ds, EngineIdentity.current(), Clock.systemUTC())),
                new HttpDelivery(3, 20),
                outbox,
                work,
                clock,
                Metrics.NONE);
    }

    private ScheduledExport definition(String folder, ScheduledExport.Http http) {
        return new ScheduledExport(
                "t10-daily",
                true,
                "0 0 2 * * ?",
                NEW_YORK,
                new ScheduledExport.Content(
                        List.of(engine.registry().find("ecc38a217ccc")),
                        null,
                        Resolution.MIN_15,
                        Aggregation.AUTO,
                        ExportWindow.parse("previous-day"),
                        "AN53111387-E-",
                        null),
                new ScheduledExport.Destinations(folder, http));
    }

    private ScheduledExport.Http http(boolean multipart) {
        return new ScheduledExport.Http(
                "POST", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/in", Map.of(), null, multipart);
    }

    private static final String DAY1 = "AN53111387-E-15minRES_96CLP_250106.0000-250106.2359.csv";

    @Test
    void a_run_publishes_the_csv_and_a_manifest_atomically_into_the_outbox_folder() throws Exception {
        ExportRunTable.Run run = exports(definition("{site}/{yyyy}/{MM}/", null), "2025-01-07T02:00:00-05:00")
                .fire("t10-daily");
        assertEquals(RunStatus.COMPLETED, run.status());
        assertEquals(96, run.output().rows());
        Path folder = dir.resolve("outbox/Foster_Farms_Cherry_Ave/2025/01");
        Path csv = folder.resolve(DAY1);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("timestamp,kw,pos_ae,pos_ae_delta", lines.get(0));
        // 00:00-00:15: kw 0..14 (mean 7), last pos_ae 1014, delta 14 (no reading before the day)
        assertEquals("2025-01-06T00:00:00-05:00,7.0,1014.0,14.0", lines.get(1));
        // 00:15-00:30: kw 15..29 (mean 22), delta 15
        assertEquals("2025-01-06T00:15:00-05:00,22.0,1029.0,15.0", lines.get(2));
        assertEquals(97, lines.size());
        JsonNode manifest =
                new ObjectMapper().readTree(folder.resolve(DAY1 + ".json").toFile());
        assertEquals(96, manifest.get("rows").asInt());
        assertEquals(
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(csv))),
                manifest.get("sha256").asText());
        assertEquals(
                "2025-01-06T00:00:00-05:00", manifest.get("window").get("start").asText());
        assertEquals(
                100.0, manifest.get("meters").get(0).get("coverage_percent").asDouble());
        try (var files = Files.list(folder)) {
            assertEquals(
                    List.of(DAY1, DAY1 + ".json"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary files are left");
        }
    }

    private static List<Path> filesIn(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void a_full_outbox_fails_the_run_clearly_publishes_nothing_and_the_next_run_succeeds() throws Exception {
        long csvBytes = Files.size(dir.resolve("outbox/sized")
                .resolve(exports(definition("sized/", null), "2025-01-07T02:00:00-05:00")
                        .fire("t10-daily")
                        .output()
                        .fileName()));
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small-outbox"), 4)) {
            ScheduledExports ex = exports(
                    engine, definition("day/", null), "2025-01-07T11:00:00-05:00", dir.resolve("work"), disk.dir());
            // 4 KiB: the CSV does not fit
            ExportRunTable.Run failed =
                    ex.runNow("t10-daily", "2025-01-06", null, null).get(0);
            assertEquals(RunStatus.FAILED, failed.status());
            assertTrue(failed.error().startsWith("NO_SPACE"), failed.error());
            assertEquals(List.of(), filesIn(disk.dir()), "nothing published, no temporary file");
            assertEquals(List.of(), filesIn(dir.resolve("work")), "no work file kept");

            // room for the CSV but not for its manifest: neither is published
            disk.resize((int) ((csvBytes + 4095) / 4096 * 4));
            ExportRunTable.Run noManifest =
                    ex.runNow("t10-daily", "2025-01-06", null, null).get(0);
            assertEquals(RunStatus.FAILED, noManifest.status());
            assertTrue(noManifest.error().startsWith("NO_SPACE"), noManifest.error());
            assertTrue(
                    noManifest.error().contains(".json.tmp"),
                    "the manifest is what did not fit: " + noManifest.error());
            assertEquals(List.of(), filesIn(disk.dir()), "no CSV without its manifest");

            // space again: the same window is published, without a restart
            disk.resize(1024);
            ExportRunTable.Run done =
                    ex.runNow("t10-daily", "2025-01-06", null, null).get(0);
            assertEquals(RunStatus.COMPLETED, done.status());
            assertEquals(
                    List.of(DAY1, DAY1 + ".json"),
                    filesIn(disk.dir()).stream()
                            .map(f -> f.getFileName().toString())
                            .sorted()
                            .toList());
            assertEquals(List.of(), filesIn(dir.resolve("work")));
        }
    }

    @Test
    void a_cron_firing_more_often_than_its_window_exports_each_window_once() throws Exception {
        ScheduledExport every5s = everyFiveSeconds();
        ExportRunTable.Run first = exports(every5s, "2025-01-07T02:00:01-05:00").fire("t10-daily");
        assertEquals(RunStatus.COMPLETED, first.status());
        assertEquals(null, exports(every5s, "2025-01-07T02:00:06-05:00").fire("t10-daily"), "same window");
        assertEquals(null, exports(every5s, "2025-01-07T23:59:59-05:00").fire("t10-daily"), "same window");
        assertEquals(1, ex(every5s).runs("t10-daily").size());
        ExportRunTable.Run next = exports(every5s, "2025-01-08T00:00:01-05:00").fire("t10-daily");
        assertEquals(Instant.parse("2025-01-07T05:00:00Z"), next.windowStart(), "the next day's window");
        assertEquals(2, ex(every5s).runs("t10-daily").size());
        try (var files = Files.list(dir.resolve("outbox/out"))) {
            assertEquals(4, files.count(), "two CSVs and their manifests");
        }
    }

    @Test
    void engines_name_a_fire_by_quartzs_scheduled_time_however_late_they_run_it() throws Exception {
        ScheduledExport every5s = everyFiveSeconds();
        Date due = Date.from(OffsetDateTime.parse("2025-01-07T02:00:00-05:00").toInstant());
        ExportRunTable.Run onTime =
                exports(every5s, "2025-01-07T02:00:00.100-05:00").fire("t10-daily", due);
        assertEquals(RunStatus.COMPLETED, onTime.status());
        // the same fire run again 7 s late (a recovery, a catch-up): the same window, exported already
        assertEquals(null, exports(every5s, "2025-01-07T02:00:07-05:00").fire("t10-daily", due));
        assertEquals(
                1,
                exports(every5s, "2025-01-07T02:00:07-05:00").runs("t10-daily").size(),
                "one fire, one run");
    }

    /** The daily definition on a cron that fires every five seconds. */
    private ScheduledExport everyFiveSeconds() {
        return new ScheduledExport(
                "t10-daily",
                true,
                "0/5 * * * * ?",
                NEW_YORK,
                definition("out/", null).content(),
                new ScheduledExport.Destinations("out/", null));
    }

    private ScheduledExports ex(ScheduledExport d) {
        return exports(d, "2025-01-08T00:00:02-05:00");
    }

    @Test
    void re_running_a_window_replaces_its_file_and_record() throws Exception {
        ScheduledExports ex = exports(definition("out/", null), "2025-01-07T02:00:00-05:00");
        ex.fire("t10-daily");
        ex.runNow("t10-daily", "2025-01-06", null, null);
        try (var files = Files.list(dir.resolve("outbox/out"))) {
            assertEquals(2, files.count());
        }
        assertEquals(1, ex.runs("t10-daily").size());
        assertEquals(RunTrigger.MANUAL, ex.runs("t10-daily").get(0).trigger());
    }

    @Test
    void the_http_destination_receives_the_csv_after_two_failures() throws Exception {
        failuresLeft.set(2);
        ExportRunTable.Run run = exports(definition(null, http(false)), "2025-01-07T02:00:00-05:00")
                .fire("t10-daily");
        assertEquals(RunStatus.COMPLETED, run.status());
        assertEquals(DeliveryStatus.DELIVERED, run.delivery().http());
        assertEquals(3, run.delivery().httpAttempts());
        assertEquals(1, received.size());
        String body = new String(received.get(0), StandardCharsets.UTF_8);
        assertTrue(
                body.startsWith("timestamp,kw,pos_ae,pos_ae_delta\n2025-01-06T00:00:00-05:00,7.0,1014.0,14.0\n"), body);
        assertTrue(receivedTypes.get(0).startsWith("text/csv"));
    }

    @Test
    void a_delivery_still_failing_is_kept_and_retried_at_the_next_run() throws Exception {
        failuresLeft.set(3);
        ExportRunTable.Run first = exports(definition(null, http(true)), "2025-01-07T02:00:00-05:00")
                .fire("t10-daily");
        assertEquals(RunStatus.PARTIAL, first.status());
        assertEquals(DeliveryStatus.FAILED, first.delivery().http());
        assertTrue(first.error().contains("HTTP 500"), first.error());
        assertEquals(0, received.size());
        ScheduledExports nextDay = exports(definition(null, http(true)), "2025-01-08T02:00:00-05:00");
        ExportRunTable.Run second = nextDay.fire("t10-daily");
        assertEquals(RunStatus.COMPLETED, second.status());
        List<ExportRunTable.Run> runs = nextDay.runs("t10-daily");
        assertEquals(2, runs.size());
        assertTrue(
                runs.stream()
                        .allMatch(r -> r.status() == RunStatus.COMPLETED
                                && r.delivery().http() == DeliveryStatus.DELIVERED),
                runs.toString());
        assertEquals(2, received.size(), "the late delivery and the new one");
        String late = new String(received.get(0), StandardCharsets.UTF_8);
        assertTrue(late.contains("filename=\"" + DAY1 + "\""), "multipart with the file name");
        assertTrue(receivedTypes.get(0).startsWith("multipart/form-data; boundary="));
    }

    @Test
    void run_dates_must_be_real_and_not_in_the_future() {
        ScheduledExports ex = exports(definition("week/", null), "2025-01-20T02:00:00-05:00");
        for (String date : new String[] {"+999999999-01-01", "2025-01-21", "1969-12-31", "soon"}) {
            ExportException e = assertThrows(ExportException.class, () -> ex.runNow("t10-daily", date, null, null));
            assertEquals("INVALID_DATE", e.code(), date);
        }
        assertEquals(
                "INVALID_DATE",
                assertThrows(ExportException.class, () -> ex.runNow("t10-daily", null, "2025-01-19", "2026-01-01"))
                        .code());
        assertFalse(Files.exists(dir.resolve("outbox/week")), "nothing written");
        assertEquals(1, ex.runNow("t10-daily", "2025-01-20", null, null).size(), "today is fine");
    }

    @Test
    void a_backfill_of_a_week_writes_seven_files() throws Exception {
        ScheduledExports ex = exports(definition("week/", null), "2025-01-20T02:00:00-05:00");
        List<ExportRunTable.Run> runs = ex.runNow("t10-daily", null, "2025-01-01", "2025-01-07");
        assertEquals(7, runs.size());
        try (var files = Files.list(dir.resolve("outbox/week"))) {
            assertEquals(14, files.count(), "7 CSVs and 7 manifests");
        }
        assertTrue(runs.stream()
                .allMatch(r -> r.trigger() == RunTrigger.BACKFILL && r.output().rows() == 96));
    }

    @Test
    void after_downtime_the_missed_window_is_exported_once() throws Exception {
        ScheduledExports ex = exports(definition("late/", null), "2025-01-07T11:00:00-05:00");
        ex.catchUp();
        ex.catchUp();
        List<ExportRunTable.Run> runs = ex.runs("t10-daily");
        assertEquals(1, runs.size());
        assertEquals(RunTrigger.CATCH_UP, runs.get(0).trigger());
        assertEquals(
                OffsetDateTime.parse("2025-01-06T00:00:00-05:00").toInstant(),
                runs.get(0).windowStart());
        assertFalse(Files.exists(dir.resolve("outbox/late/AN53111387-E-15minRES_96CLP_250107.0000-250107.2359.csv")));
    }

    /** The run table as engine {@code name} (pid@host) writes it. */
    private ExportRunTable runsOf(String name) {
        DataSource ds = engine.dataSource();
        return new ExportRunTable(ds, new EngineHeartbeats(ds, new EngineIdentity(name), Clock.systemUTC()));
    }

    @Test
    void a_run_left_running_by_an_engine_that_died_is_run_again_but_not_one_of_a_live_engine() throws Exception {
        String time = "2025-01-07T11:00:00-05:00";
        Instant now = OffsetDateTime.parse(time).toInstant();
        ScheduledExports ex = exports(definition("again/", null), time);
        Instant window = OffsetDateTime.parse("2025-01-06T00:00:00-05:00").toInstant();
        String host = EngineIdentity.current()
                .name()
                .substring(EngineIdentity.current().name().indexOf('@'));
        // the fire's run was claimed and started by an engine of this host that was then killed
        assertTrue(runsOf(Integer.MAX_VALUE + host)
                .claim("t10-daily", window, window.plusSeconds(86_400), RunTrigger.SCHEDULE, window, false));
        ex.catchUp();
        ExportRunTable.Run run = ex.runs("t10-daily").get(0);
        assertEquals(RunStatus.COMPLETED, run.status());
        assertEquals(RunTrigger.CATCH_UP, run.trigger());
        assertEquals(96, run.output().rows());
        assertTrue(Files.exists(dir.resolve("outbox/again").resolve(run.output().fileName())));

        // engines of another host: one beating (alive), one whose last beat is 31 s old (dead)
        Instant alive = window.minusSeconds(86_400);
        Instant stale = window.minusSeconds(2 * 86_400);
        new EngineHeartbeats(engine.dataSource(), new EngineIdentity("7@other-host"), Clock.systemUTC()).beat();
        new EngineHeartbeats(
                        engine.dataSource(),
                        new EngineIdentity("8@other-host"),
                        Clock.offset(
                                Clock.systemUTC(),
                                EngineHeartbeats.STALE.plusSeconds(1).negated()))
                .beat();
        assertTrue(runsOf("7@other-host").claim("t10-daily", alive, window, RunTrigger.MANUAL, now, false));
        assertTrue(runsOf("8@other-host").claim("t10-daily", stale, alive, RunTrigger.MANUAL, now, false));
        ex.catchUp();
        Map<Instant, RunStatus> status = new java.util.HashMap<>();
        ex.runs("t10-daily").forEach(r -> status.put(r.windowStart(), r.status()));
        assertEquals(RunStatus.RUNNING, status.get(alive), "a live engine's run is left to it");
        assertEquals(RunStatus.COMPLETED, status.get(stale), "a run of an engine silent for over 30 s is taken over");
    }

    @Test
    void a_catch_up_and_the_cron_fire_of_the_same_time_export_once() throws Exception {
        ScheduledExports ex = exports(definition("same/", null), "2025-01-07T02:00:00-05:00");
        ex.catchUp();
        assertEquals(null, ex.fire("t10-daily"), "the 02:00 fire was taken by the catch-up");
        assertEquals(1, ex.runs("t10-daily").size());
        assertEquals(RunTrigger.CATCH_UP, ex.runs("t10-daily").get(0).trigger());
    }

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void two_engines_on_one_database_run_each_fire_once(TestDatabases.Target db) throws Exception {
        Engine a = TestEngines.start(dir.resolve("a"), db);
        Engine b = TestEngines.start(dir.resolve("b"), db);
        try {
            ingestTwoDays(a, dir.resolve("a"));
            ScheduledExport d = definition("shared/", http(false));
            ScheduledExports exA = exports(a, d, "2025-01-07T02:00:00-05:00", dir.resolve("a/work"));
            ScheduledExports exB = exports(b, d, "2025-01-07T02:00:00-05:00", dir.resolve("b/work"));
            CyclicBarrier together = new CyclicBarrier(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Future<ExportRunTable.Run> ra = pool.submit(() -> {
                together.await();
                return exA.fire("t10-daily");
            });
            Future<ExportRunTable.Run> rb = pool.submit(() -> {
                together.await();
                return exB.fire("t10-daily");
            });
            List<ExportRunTable.Run> results = new ArrayList<>(
                    Stream.of(ra.get(), rb.get()).filter(Objects::nonNull).toList());
            pool.shutdown();
            assertEquals(1, results.size(), "one engine ran the fire, the other skipped it");
            assertEquals(RunStatus.COMPLETED, results.get(0).status());
            assertEquals(96, results.get(0).output().rows());
            assertEquals(1, exA.runs("t10-daily").size());
            try (var files = Files.list(dir.resolve("outbox/shared"))) {
                assertEquals(
                        List.of(DAY1, DAY1 + ".json"),
                        files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            assertEquals(1, received.size(), "delivered once");
        } finally {
            a.close();
            b.close();
        }
    }
}
