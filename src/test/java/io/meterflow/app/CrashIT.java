package io.meterflow.app;

import static io.meterflow.app.EngineWithData.samples;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.EngineProcess;
import io.meterflow.TestDatabases;
import io.meterflow.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine jar as a real process, killed with SIGKILL at several moments while it works, then
 * started again: nothing it acknowledged (a file moved to {@code .done}) may be lost, nothing
 * stored twice.
 */
class CrashIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String METER = EngineWithData.METER;
    static final int HOURS = 96;
    static final long SAMPLES = HOURS * 3600L * 8;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    private static long count(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void files_acknowledged_before_a_kill_are_never_lost_and_never_doubled(TestDatabases.Target db) throws Exception {
        Path root = Path.of("target/crash-files-" + db.name());
        TestFiles.deleteTree(root);
        GenerateCommand.write(
                root.resolve("staging/" + METER),
                "AN53111387-E-",
                Instant.parse("2025-01-01T05:00:00Z"),
                HOURS,
                1,
                ZoneId.of("America/New_York"));
        String url = db.url().startsWith("jdbc:h2:") ? "jdbc:h2:./data/meterflow" : db.url();
        try (EngineProcess engine = new EngineProcess(root.resolve("home"), 18300)
                .property("meterflow.db.url", url)
                .property("meterflow.db.user", db.user())) {
            engine.start();
            Path inbox = engine.home().resolve("inbox");
            Files.move(root.resolve("staging/" + METER), inbox.resolve(METER));
            // killed three times while files are being ingested, at different moments: once the first
            // file, a third and two thirds of them are done (many files share a commit, so the count
            // jumps, and the kill comes while the next ones are parsed, committed or moved)
            List<Long> doneAtKills = new java.util.ArrayList<>();
            for (long target : new long[] {1, HOURS / 3, 2 * HOURS / 3}) {
                await().atMost(Duration.ofMinutes(1))
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> count(inbox.resolve(".done/" + METER)) >= target);
                engine.kill();
                doneAtKills.add(count(inbox.resolve(".done/" + METER)));
                engine.start();
            }
            assertTrue(
                    doneAtKills.stream().anyMatch(d -> d > 0 && d < HOURS),
                    "a kill came while files were being ingested: files done at the kills " + doneAtKills);
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .alias("every file out of the inbox")
                    .until(() -> count(inbox.resolve(METER)) == 0);
            assertEquals(HOURS, count(inbox.resolve(".done/" + METER)), "every file acknowledged");
            assertEquals(0, count(inbox.resolve(".error")), "no file rejected");
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertEquals(SAMPLES, samples(engine), "samples stored"));
            engine.kill();
            engine.start(); // and what was acknowledged is still there after one more kill
            assertEquals(SAMPLES, samples(engine), "every sample of every acknowledged file, once");
            JsonNode info = JSON.readTree(engine.get("/meter_info/" + METER).body());
            assertEquals(HOURS, info.get("file_count").asInt(), info.toString());
            assertEquals(SAMPLES, info.get("sample_count").asLong(), "the blocks hold what the total says");
            // and the values: every column's sum over the files equals the stored samples' sum
            // (within the exports' exactness, 1e-9 relative: the hourly sums are printed rounded; one lost
            // or doubled file would move the total by about 1 %)
            double expected = csvSums(inbox.resolve(".done/" + METER));
            assertEquals(expected, storedSums(engine), 1e-9 * Math.abs(expected));
        }
    }

    /** The sum of every value of every CSV below {@code dir} (all columns but the timestamp). */
    private static double csvSums(Path dir) throws IOException {
        double sum = 0;
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                List<String> lines = Files.readAllLines(f);
                for (String line : lines.subList(1, lines.size())) {
                    String[] cells = line.split(",");
                    for (int i = 1; i < cells.length; i++) {
                        sum += Double.parseDouble(cells[i]);
                    }
                }
            }
        }
        return sum;
    }

    /** The sum of every stored sample of the meter, from a 1-hour export of the sums per column. */
    private static double storedSums(EngineProcess engine) throws Exception {
        String body = "{\"mac_address\":\"" + METER + "\",\"start_datetime\":\"2025-01-01T00:00:00\","
                + "\"end_datetime\":\"2025-01-04T23:59:59\",\"resolution\":\"1hr\",\"aggregation\":\"sum\"}";
        var csv = engine.post("/generate_csv", body);
        assertEquals(200, csv.statusCode(), csv.body());
        double sum = 0;
        for (String line : csv.body().lines().skip(1).toList()) {
            String[] cells = line.split(",", -1);
            for (int i = 1; i < cells.length; i++) {
                sum += cells[i].isEmpty() ? 0 : Double.parseDouble(cells[i]);
            }
        }
        return sum;
    }

    /** Files of {@code dir} (recursively) whose name marks a write in progress. */
    private static List<Path> temporaryFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".tmp"))
                    .toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void export_jobs_acknowledged_before_a_kill_complete_after_the_restart(TestDatabases.Target db) throws Exception {
        Path root = Path.of("target/crash-jobs-" + db.name());
        String day = "{\"mac_address\":\"" + METER + "\",\"start_datetime\":\"2025-01-01T00:00:00\","
                + "\"end_datetime\":\"2025-01-01T23:59:59\",\"resolution\":\"1sec\"}";
        try (EngineProcess engine = EngineWithData.start(root, 18301, db, Instant.parse("2025-01-01T05:00:00Z"), 24)) {
            List<String> jobs = new java.util.ArrayList<>();
            // killed right after the 200, and while the jobs run
            for (long millis : new long[] {0, 150, 400}) {
                for (int i = 0; i < 2; i++) {
                    var created = engine.post("/api/export/csv", day);
                    assertEquals(200, created.statusCode(), created.body());
                    jobs.add(JSON.readTree(created.body()).get("job_id").asText());
                }
                Thread.sleep(millis);
                engine.kill();
                engine.start();
            }
            for (String id : jobs) {
                JsonNode status = await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(250))
                        .until(
                                () -> JSON.readTree(
                                        engine.get("/api/export/status/" + id).body()),
                                s -> !s.path("status").asText().matches("pending|running"));
                assertEquals("completed", status.path("status").asText(), id + ": " + status);
                assertEquals(86_400, status.get("file_info").get("record_count").asLong());
                var csv = engine.get("/api/export/download/" + id);
                assertEquals(200, csv.statusCode());
                List<String> lines = csv.body().lines().toList();
                assertEquals(86_401, lines.size(), id);
                assertEquals("2025-01-01T23:59:59-05:00", lines.get(86_400).split(",")[0]);
            }
            assertEquals(List.of(), temporaryFiles(engine.home().resolve("data/exports")), "no half-written file");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_scheduled_export_killed_mid_run_exports_its_window_exactly_once(TestDatabases.Target db) throws Exception {
        Path root = Path.of("target/crash-schedule-" + db.name());
        // last week's data (Monday to Sunday, UTC): the window of a weekly definition
        java.time.LocalDate monday = java.time.LocalDate.now(java.time.ZoneOffset.UTC)
                .with(java.time.temporal.TemporalAdjusters.previousOrSame(java.time.DayOfWeek.MONDAY))
                .minusWeeks(1);
        Instant start = monday.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        try (EngineProcess engine = EngineWithData.start(root, 18302, db, start, 168)) {
            engine.kill();
            Files.writeString(
                    engine.home().resolve("config/crash-exports.yaml"),
                    """
                    exports:
                      - name: weekly
                        cron: "0 0 0 ? * MON"
                        timezone: UTC
                        meters: [ecc38a217ccc]
                        resolution: 1sec
                        window: previous-week
                        destinations:
                          folder: "weekly/"
                    """);
            engine.property("meterflow.exports-file", "config/crash-exports.yaml");
            // the missed fire is caught up at start: killed while it runs, at several moments
            for (long millis : new long[] {0, 300, 800, 1_500}) {
                engine.start();
                Thread.sleep(millis);
                engine.kill();
            }
            engine.start();
            JsonNode run = await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250))
                    .until(
                            () -> JSON.readTree(engine.get("/api/exports/weekly/runs")
                                            .body())
                                    .path("runs")
                                    .path(0),
                            r -> r.path("status").asText().equals("completed"));
            assertEquals(604_800, run.get("rows").asLong(), run.toString());
            Path folder = engine.home().resolve("outbox/weekly");
            List<String> published;
            try (Stream<Path> files = Files.list(folder)) {
                published = files.map(f -> f.getFileName().toString()).sorted().toList();
            }
            String csv = run.get("file").asText();
            assertEquals(List.of(csv, csv + ".json"), published, "the window's CSV and manifest, once");
            assertEquals(List.of(), temporaryFiles(engine.home().resolve("outbox")), "no half-written file");
            assertEquals(List.of(), temporaryFiles(engine.home().resolve("data/exports")), "no work file left");
            long lines;
            try (Stream<String> l = Files.lines(folder.resolve(csv))) {
                lines = l.count();
            }
            assertEquals(604_801, lines);
            JsonNode manifest = JSON.readTree(folder.resolve(csv + ".json").toFile());
            assertEquals(604_800, manifest.get("rows").asLong(), manifest.toString());
            String sha = java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(Files.readAllBytes(folder.resolve(csv))));
            assertEquals(sha, manifest.get("sha256").asText());
            assertEquals(
                    1,
                    JSON.readTree(engine.get("/api/exports/weekly/runs").body())
                            .get("runs")
                            .size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void mqtt_frames_acknowledged_before_a_kill_are_never_lost(TestDatabases.Target db) throws Exception {
        Path root = Path.of("target/crash-mqtt-" + db.name());
        TestFiles.deleteTree(root);
        Files.createDirectories(root);
        int port = db.name().startsWith("h2") ? 18886 : 18887;
        Files.writeString(
                root.resolve("broker.conf"),
                "listener " + port + " 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\n"
                        + "persistence false\nuser " + System.getProperty("user.name") + "\n");
        Process broker = new ProcessBuilder(
                        "mosquitto", "-c", root.resolve("broker.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("broker.log").toFile())
                .start();
        String url = db.url().startsWith("jdbc:h2:") ? "jdbc:h2:./data/meterflow" : db.url();
        int frames = 1_500;
        int rows = 100;
        long expected = 2L * frames * rows; // each value also stores its status
        int liveFrames = 300;
        int liveRows = 10;
        long liveExpected = 2L * liveFrames * liveRows;
        try (EngineProcess engine = new EngineProcess(root.resolve("home"), 18303)
                .property("meterflow.db.url", url)
                .property("meterflow.db.user", db.user())
                .property("meterflow.mqtt.enabled", "true")
                .property("meterflow.mqtt.broker-url", "tcp://127.0.0.1:" + port)
                .property("meterflow.mqtt.client-id", "crash-" + db.name())) {
            engine.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> JSON.readTree(engine.get("/health").body())
                            .toString()
                            .contains("\"connected\":true"));
            Thread publisher = publisher(port, "SimStation", frames, rows, null);
            // and a station's live frames, of the current hour (and the next): appended beside their hour's
            // stored block as pending rows, not rewriting it
            String hour = Instant.now().truncatedTo(ChronoUnit.HOURS).toString();
            Thread live = publisher(port, "LiveStation", liveFrames, liveRows, hour);
            live.start();
            publisher.start();
            // killed while frames arrive: what the broker holds for the session is delivered after the restart
            for (long millis : new long[] {400, 700, 1_200}) {
                Thread.sleep(millis);
                engine.kill();
                engine.start();
            }
            publisher.join(120_000);
            live.join(120_000);
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(
                            () -> assertEquals(expected + liveExpected, samples(engine), "every frame's samples"));
            engine.kill();
            engine.start();
            Thread.sleep(2_000); // anything redelivered after the last kill is not stored twice
            assertEquals(expected + liveExpected, samples(engine), "every sample once after one more kill");
            JsonNode info = JSON.readTree(engine.get("/meter_info/SimStation").body());
            assertEquals(expected, info.get("sample_count").asLong(), info.toString());
            JsonNode liveInfo =
                    JSON.readTree(engine.get("/meter_info/LiveStation").body());
            assertEquals(liveExpected, liveInfo.get("sample_count").asLong(), liveInfo.toString());
            if (!db.url().startsWith("jdbc:h2:")) {
                try (Connection c = DriverManager.getConnection(db.url(), db.user(), "")) {
                    ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM sample_delta");
                    rs.next();
                    assertTrue(rs.getLong(1) > 0, "live frames were kept as pending rows");
                }
            }
        } finally {
            broker.destroyForcibly();
            broker.waitFor();
        }
    }

    /** A thread publishing a station's frames ({@code start}: the first row's time, null for the simulator's default). */
    private static Thread publisher(int port, String station, int frames, int rows, String start) {
        return new Thread(() -> {
            try {
                List<String> args = new java.util.ArrayList<>(List.of(
                        "--broker", "tcp://127.0.0.1:" + port,
                        "--station", station,
                        "--frames", "" + frames,
                        "--rows", "" + rows));
                if (start != null) {
                    args.addAll(List.of("--start", start));
                }
                SimulateNiagaraCommand.run(args.toArray(String[]::new));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
