package io.meterflow.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.meterflow.EngineProcess;
import io.meterflow.TestDatabases;
import io.meterflow.TestFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.Test;

/**
 * Three engine processes on one PostgreSQL database and one MQTT broker, with one shared inbox,
 * export folder and outbox: while files land, frames stream in over a shared subscription,
 * scheduled exports fire every five seconds and export jobs are queued, engines are killed with
 * SIGKILL (while ingesting, while running a job, while delivering a scheduled export) and
 * restarted. Every sample is stored once (count and sum), every file recorded once, every frame
 * stored once (those the broker queued for the dead engine too), every scheduled minute exported
 * once (the one cut short taken over within a minute), every job completed once and downloadable
 * from every engine.
 */
class ClusterIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String DB = "mf_cluster";
    static final String METER = "ecc38a217ccc"; // America/New_York in config/meters.yaml
    static final Instant FIRST_HOUR = Instant.parse("2025-01-01T05:00:00Z"); // midnight in New York
    static final int HOURS = 48;
    static final int FRAMES = 3_000;
    static final int ROWS = 20;

    /** kW of second {@code s} of the data: an integer, so sums are exact. */
    static long kw(long s) {
        return s % 997;
    }

    /** kVAr of second {@code s}. */
    static long kvar(long s) {
        return (s * 7) % 101;
    }

    private static void writeHour(Path staging, int hour) throws IOException {
        StringBuilder csv = new StringBuilder("timestamp,kw,kvar\n");
        for (int i = 0; i < 3600; i++) {
            long s = hour * 3600L + i;
            csv.append(FIRST_HOUR.plusSeconds(s))
                    .append(',')
                    .append(kw(s))
                    .append(',')
                    .append(kvar(s))
                    .append('\n');
        }
        Files.writeString(staging.resolve(String.format("hour-%02d.csv", hour)), csv);
    }

    /** Moves files {@code from..to-1} into the shared inbox, each whole. */
    private static void land(Path staging, Path inbox, int from, int to) throws IOException {
        Files.createDirectories(inbox.resolve(METER));
        for (int h = from; h < to; h++) {
            String name = String.format("hour-%02d.csv", h);
            Files.move(staging.resolve(name), inbox.resolve(METER).resolve(name));
        }
    }

    private static long files(Path dir, String suffix) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().endsWith(suffix))
                    .count();
        }
    }

    /** Publishes {@link #FRAMES} frames of {@link #ROWS} one-second rows (value = row number), one every 2 ms. */
    private static void publishFrames(String broker) throws Exception {
        MqttClient client = new MqttClient(broker, "cluster-publisher", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        client.connect(options);
        Instant start = Instant.parse("2025-03-01T00:00:00Z");
        for (int f = 0; f < FRAMES; f++) {
            StringBuilder sb = new StringBuilder("{\"messageType\":\"history\",\"stationName\":\"ClusterStation\","
                    + "\"historyId\":\"/ClusterStation/kW\",\"historyData\":[");
            for (int r = 0; r < ROWS; r++) {
                long n = (long) f * ROWS + r;
                sb.append(r > 0 ? "," : "")
                        .append("{\"timestamp\":\"")
                        .append(start.plusSeconds(n))
                        .append("\",\"status\":\"{ok}\",\"value\":")
                        .append(n)
                        .append('}');
            }
            MqttMessage message = new MqttMessage(sb.append("]}").toString().getBytes(StandardCharsets.UTF_8));
            message.setQos(1);
            client.publish("cluster/histories", message);
            Thread.sleep(2);
        }
        client.disconnect();
        client.close();
    }

    private static long query(String sql) throws Exception {
        return TestDatabases.postgresQueryLong(DB, sql);
    }

    private static String day(int day) {
        return "{\"mac_address\":\"" + METER + "\",\"start_datetime\":\"2025-01-0" + day + "T00:00:00\","
                + "\"end_datetime\":\"2025-01-0" + day + "T23:59:59\",\"resolution\":\"1sec\"}";
    }

    /** Rows and the sums of kw and kvar in a composite CSV at 1-second resolution. */
    private static long[] rowsAndSums(String csv) {
        long[] out = new long[3];
        csv.lines().skip(1).forEach(line -> {
            String[] cells = line.split(",");
            out[0]++;
            out[1] += Math.round(Double.parseDouble(cells[1]));
            out[2] += Math.round(Double.parseDouble(cells[2]));
        });
        return out;
    }

    @Test
    void three_engines_share_the_work_and_lose_nothing_when_one_is_killed_and_another_restarted() throws Exception {
        assumeTrue(TestDatabases.postgresAvailable(), "PostgreSQL on 127.0.0.1:5432");
        String url = TestDatabases.freshPostgresDatabase(DB);
        Path root = Path.of("target/cluster").toAbsolutePath();
        TestFiles.deleteTree(root);
        Path shared = root.resolve("shared");
        Path inbox = shared.resolve("inbox");
        Path staging = root.resolve("staging");
        Files.createDirectories(staging);
        for (int h = 0; h < HOURS; h++) {
            writeHour(staging, h);
        }
        // a broker of its own, which keeps what it queues for a session (the machine's keeps 1,000)
        int mqttPort = 18889;
        Files.writeString(
                root.resolve("broker.conf"),
                "listener " + mqttPort + " 127.0.0.1\nallow_anonymous true\nmax_queued_messages 100000\n"
                        + "persistence false\nuser " + System.getProperty("user.name") + "\n");
        Process broker = new ProcessBuilder(
                        "mosquitto", "-c", root.resolve("broker.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(root.resolve("broker.log").toFile())
                .start();
        // the slow HTTP destination: records each delivery (the file name in the path of the upload)
        Map<String, Integer> delivered = new ConcurrentHashMap<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/receive", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            try {
                Thread.sleep(3_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            String first = new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8);
            delivered.merge(first.lines().findFirst().orElse("") + "#" + body.length, 1, Integer::sum);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        List<EngineProcess> engines = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                EngineProcess e = new EngineProcess(root.resolve("engine-" + (i + 1)), 18321 + i)
                        .property("meterflow.db.url", url)
                        .property("meterflow.db.user", "postgres")
                        // room for the two export workers, the schedules, the gauges and the API while
                        // part 2 holds the sample table locked
                        .property("meterflow.db.pool-size", "10")
                        .property("meterflow.inbox", inbox.toString())
                        .property(
                                "meterflow.export.dir",
                                shared.resolve("exports").toString())
                        .property("meterflow.outbox", shared.resolve("outbox").toString())
                        .property("meterflow.exports-file", "config/cluster-exports.yaml")
                        .property("meterflow.ingest.read-lock-max-age-ms", "10000")
                        // one shared subscription: the broker hands each frame to one engine of the group
                        .property("meterflow.mqtt.enabled", "true")
                        .property("meterflow.mqtt.broker-url", "tcp://127.0.0.1:" + mqttPort)
                        .property("meterflow.mqtt.topic", "$share/meterflow/cluster/histories")
                        .property("meterflow.mqtt.client-id", "cluster-" + (i + 1));
                // two exports of the last whole minute, fired every five seconds: each minute's window is
                // run once, by one engine; the second one's HTTP endpoint takes 3 s to answer
                Files.writeString(
                        e.home().resolve("config/cluster-exports.yaml"),
                        """
                        exports:
                          - name: minutely
                            cron: "0/5 * * * * ?"
                            timezone: UTC
                            meters: [ecc38a217ccc]
                            resolution: 1min
                            window: last-minutes:1
                            destinations:
                              folder: "minutely/"
                          - name: slow-delivery
                            cron: "0/5 * * * * ?"
                            timezone: UTC
                            meters: [ecc38a217ccc]
                            resolution: 1min
                            window: last-minutes:1
                            destinations:
                              folder: "slow-delivery/"
                              http:
                                url: "http://127.0.0.1:%d/receive"
                        """
                                .formatted(receiver.getAddress().getPort()));
                engines.add(e.start());
            }
            JsonNode health = JSON.readTree(engines.get(0).get("/health").body());
            assertEquals(3, health.get("engines").size(), health.toString());

            // 1. files land in the shared inbox and frames stream in; engine 2 is killed, engine 3 restarted
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> engines.stream().allMatch(e -> e.status("/health") == 200));
            // frames published at a steady pace, so that many are still coming when engine 2 dies
            Thread publisher = new Thread(() -> {
                try {
                    publishFrames("tcp://127.0.0.1:" + mqttPort);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            publisher.start();
            // one file at a time, so that each engine takes some, until engine 2 has stored one (an
            // engine scanning the inbox takes every file that is ready, up to 256 at once)
            int landed = 0;
            while (landed < 24 && !engines.get(1).logs().contains("file ingested")) {
                land(staging, inbox, landed, landed + 1);
                landed++;
                Thread.sleep(150);
            }
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> engines.get(1).logs().contains("file ingested"));
            // engine 2 killed while it ingests: the next files land first, so it dies with work waiting
            land(staging, inbox, landed, 36);
            long notDoneAtKill = 36 - files(inbox.resolve(".done"), ".csv"); // a bound: more may be done at the kill
            engines.get(1).kill();
            assertTrue(files(inbox.resolve(METER), ".csv") > 0, "killed before the inbox was empty");
            engines.get(2).stop();
            land(staging, inbox, 36, HOURS);
            engines.get(2).start();
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertEquals(HOURS, files(inbox.resolve(".done"), ".csv")));
            assertEquals(0, files(inbox.resolve(METER), ".csv"), "nothing left in the inbox");
            assertEquals(0, files(inbox.resolve(".error"), ""), "nothing rejected");
            assertEquals(HOURS, query("SELECT COUNT(DISTINCT path) FROM ingested_file WHERE status = 'ingested'"));
            long samples = 2L * HOURS * 3600;
            assertEquals(
                    samples,
                    query("SELECT SUM(b.sample_count) FROM sample_block b JOIN series s ON s.id = b.series_id"
                            + " WHERE s.meter_id = '" + METER + "'"),
                    "every sample stored once");
            long readAgain = query("SELECT COUNT(*) FROM ingested_file")
                    - query("SELECT COUNT(DISTINCT path) FROM ingested_file");
            // at most the files engine 2 had committed but not yet moved when it died: files not yet
            // moved to .done at the kill
            assertTrue(
                    readAgain <= notDoneAtKill,
                    "a file is read again only when its engine died with it: " + readAgain + " of " + notDoneAtKill);

            // every frame stored once, those the broker had queued for the dead engine 2 included,
            // before engine 2 comes back
            publisher.join(60_000);
            long values = 2L * FRAMES * ROWS; // each value and its status
            await().atMost(Duration.ofMinutes(1))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertEquals(
                            values,
                            query("SELECT COALESCE(SUM(b.sample_count), 0) FROM sample_block b"
                                    + " JOIN series s ON s.id = b.series_id WHERE s.meter_id = 'ClusterStation'")));
            assertEquals(
                    samples + values,
                    JSON.readTree(engines.get(0).get("/health").body())
                            .get("samples")
                            .asLong(),
                    "the samples count of /health");
            long valueSum = (long) FRAMES * ROWS * (FRAMES * ROWS - 1) / 2; // value = row number
            assertEquals(
                    valueSum,
                    query("SELECT CAST(SUM(b.value_sum) AS BIGINT) FROM sample_block b JOIN series s ON s.id ="
                            + " b.series_id WHERE s.meter_id = 'ClusterStation' AND s.signal NOT LIKE '%#status'"),
                    "every frame's values once");
            String ended = "emptied and ended client=cluster-2 ";
            await().atMost(Duration.ofSeconds(30))
                    .alias("a live engine ended the dead engine's session")
                    .until(() -> engines.get(0).logs().contains(ended)
                            || engines.get(2).logs().contains(ended));
            long taken = 0;
            for (int i : new int[] {0, 2}) {
                taken += JSON.readTree(engines.get(i).get("/health").body())
                        .get("mqtt")
                        .get("frames_taken_from_stopped_engines")
                        .asLong();
            }
            assertTrue(taken > 0, "frames queued for the dead engine's session were taken by a live one");

            // the sums: both days at 1 s from a surviving engine equal the files' sums
            long[] expected = new long[3];
            for (long s = 0; s < HOURS * 3600L; s++) {
                expected[0]++;
                expected[1] += kw(s);
                expected[2] += kvar(s);
            }
            long[] exported = new long[3];
            for (int d = 1; d <= 2; d++) {
                HttpResponse<String> csv = engines.get(0).post("/generate_csv", day(d));
                assertEquals(200, csv.statusCode(), csv.body());
                long[] part = rowsAndSums(csv.body());
                for (int k = 0; k < 3; k++) {
                    exported[k] += part[k];
                }
            }
            assertEquals(
                    List.of(expected[0], expected[1], expected[2]), List.of(exported[0], exported[1], exported[2]));

            // 2. export jobs queued on all engines (engine 2 back); engine 1 killed while it runs one. The
            // sample table is locked meanwhile, so a worker that has taken a job waits on its first read:
            // engines 2 and 3 hold at most two jobs each, and engine 1's workers take the others
            engines.get(1).start();
            List<String> jobs = new ArrayList<>();
            try (Connection lock = TestDatabases.postgresConnection(DB);
                    Statement st = lock.createStatement()) {
                lock.setAutoCommit(false);
                st.execute("LOCK TABLE sample_block IN ACCESS EXCLUSIVE MODE");
                for (int i = 0; i < 6; i++) {
                    HttpResponse<String> created = engines.get(i % 3).post("/api/export/csv", day(1 + i % 2));
                    assertEquals(200, created.statusCode(), created.body());
                    jobs.add(JSON.readTree(created.body()).get("job_id").asText());
                }
                String first = engines.get(0).pid() + "@%";
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> query("SELECT COUNT(*) FROM export_job WHERE status = 'running' AND engine LIKE '"
                                        + first + "'")
                                > 0);
                engines.get(0).kill();
                lock.rollback();
            }
            for (String id : jobs) {
                JsonNode status = await().atMost(Duration.ofMinutes(2))
                        .pollInterval(Duration.ofMillis(250))
                        .until(
                                () -> JSON.readTree(engines.get(1)
                                        .get("/api/export/status/" + id)
                                        .body()),
                                s -> !s.path("status").asText().matches("pending|running"));
                assertEquals("completed", status.path("status").asText(), id + ": " + status);
                assertEquals(86_400, status.get("file_info").get("record_count").asLong());
            }
            engines.get(0).start();
            for (int i = 0; i < jobs.size(); i++) {
                long[] sums = null;
                for (EngineProcess e : engines) {
                    HttpResponse<String> csv = e.get("/api/export/download/" + jobs.get(i));
                    assertEquals(200, csv.statusCode(), e.url() + ": " + csv.body());
                    long[] these = rowsAndSums(csv.body());
                    assertEquals(86_400, these[0]);
                    if (sums != null) {
                        assertEquals(sums[1], these[1], "the same file from every engine");
                    }
                    sums = these;
                }
            }
            assertEquals(
                    jobs.size(),
                    query("SELECT COUNT(*) FROM export_job WHERE status = 'completed'"),
                    "each job completed once");

            // 3. an engine killed while it delivers a scheduled export: another engine runs that window
            // again within a minute, and it is published once (windows are minutes: the next one to run may
            // be up to a minute away, as a restart's catch-up may have exported the current one already)
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> query("SELECT COUNT(*) FROM export_run WHERE definition = 'slow-delivery'"
                                    + " AND status = 'running' AND http_status IS NULL")
                            > 0);
            long window = query("SELECT MAX(window_start) FROM export_run WHERE definition = 'slow-delivery'"
                    + " AND status = 'running'");
            String owner = TestDatabases.postgresQueryText(
                    DB,
                    "SELECT engine FROM export_run WHERE definition = 'slow-delivery' AND window_start = " + window);
            EngineProcess running = engines.stream()
                    .filter(e -> owner.startsWith(e.pid() + "@"))
                    .findFirst()
                    .orElseThrow();
            running.kill();
            Instant killed = Instant.now();
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .alias("the interrupted window completed by another engine within a minute")
                    .until(() -> query("SELECT COUNT(*) FROM export_run WHERE definition = 'slow-delivery'"
                                    + " AND window_start = " + window + " AND status = 'completed'")
                            == 1);
            System.out.println("scheduled run taken over "
                    + Duration.between(killed, Instant.now()).toMillis() + " ms after its engine was killed");
            running.start();

            // 4. the scheduled windows: every minute the cluster ran exported exactly once, whatever
            // engines came and went
            Thread.sleep(6_000); // the fire of the minute now running
            for (String definition : List.of("minutely", "slow-delivery")) {
                List<Long> windows = TestDatabases.postgresQueryLongs(
                        DB,
                        "SELECT window_start FROM export_run WHERE definition = '" + definition
                                + "' AND status = 'completed' ORDER BY window_start");
                assertTrue(windows.size() >= 2, definition + ": " + windows);
                for (int w = 1; w < windows.size(); w++) {
                    assertEquals(
                            windows.get(w - 1) + 60, windows.get(w), definition + ": no minute skipped " + windows);
                }
                assertEquals(
                        windows.size(),
                        query("SELECT COUNT(*) FROM export_run WHERE definition = '" + definition + "'")
                                - query("SELECT COUNT(*) FROM export_run WHERE definition = '" + definition
                                        + "' AND status = 'running'"),
                        definition + ": every finished run completed");
                assertEquals(windows.size(), files(shared.resolve("outbox/" + definition), ".csv"), definition);
                assertEquals(windows.size(), files(shared.resolve("outbox/" + definition), ".csv.json"), definition);
            }
            assertTrue(delivered.size() >= 2, "deliveries: " + delivered);
            assertTrue(query("SELECT MAX(attempts) FROM export_job") >= 2, "a job the killed engine ran was run again");
            assertEquals(0, files(shared, ".tmp"), "no half-written file anywhere");
        } finally {
            for (EngineProcess e : engines) {
                e.close();
            }
            broker.destroyForcibly();
            broker.waitFor();
            receiver.stop(0);
            TestDatabases.postgresAdmin("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }
}
