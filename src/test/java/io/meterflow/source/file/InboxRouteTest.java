package io.meterflow.source.file;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end through the real YAML routes: files dropped into a real inbox folder, a real H2 file
 * database, GET /health over real HTTP.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18081",
            "meterflow.inbox=target/it/inbox-route",
            "meterflow.db.url=jdbc:h2:./target/it/inbox-route-db/meterflow",
            "meterflow.meters-file=config/meters.yaml",
            "meterflow.ingest.poll-delay-ms=100"
        })
class InboxRouteTest {

    static final Path INBOX = Path.of("target/it/inbox-route");

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void clean() {
        TestFiles.deleteTree(Path.of("target/it"));
    }

    private static Path drop(String relative, String content) throws Exception {
        Path target = INBOX.resolve(relative);
        Files.createDirectories(target.getParent());
        Files.writeString(target, content, StandardCharsets.UTF_8);
        return target;
    }

    private static void awaitFile(Path path) {
        await().atMost(Duration.ofSeconds(20)).alias("file " + path).until(() -> Files.exists(path));
    }

    private static JsonNode health() throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:18081/health"))
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        return new ObjectMapper().readTree(r.body());
    }

    private long queryLong(String sql) throws Exception {
        Engine engine = context.getRegistry().lookupByNameAndType("engine", Engine.class);
        try (Connection c = engine.store().dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    @Test
    void files_of_every_naming_scheme_flow_through_the_route_into_the_database() throws Exception {
        JsonNode before = health();
        assertEquals("healthy", before.get("status").asText());
        assertTrue(before.get("database").get("reachable").asBoolean());
        assertEquals(6, before.get("meters").asInt(), "the six meters of config/meters.yaml");

        String header = "timestamp,com_ap,pf,pos_ae\n";
        drop(
                "ecc38a217ccc/AN53111387-E-2025-01-01T00-00-00-0500-1sec.csv",
                header + "2025-01-01T00:00:00-05:00,250.5,0.95,1000.1\n2025-01-01T00:00:01-05:00,N/A,0.96,1000.2\n");
        drop(
                "ecc38a217ccc/2025/01/20250101_010000.csv",
                "Time,com_ap\n2025-01-01 01:00:00,10\n2025-01-01 01:00:01,11\n");
        drop("ecc38a217ccc/2025-01-01_02-00-00.csv", "TS,com_ap\n2025-01-01 02:00:00,12\n");
        drop("ecc38a217ccc/250101.0300.csv", "date,com_ap\n2025-01-01 03:00,13\n");
        drop("ecc38a217ccc/readings.csv", "timestamp,com_ap\n2025-01-01 04:00:00,14\n");
        drop("newmeter7/a.csv", "timestamp,kw\n2025-06-01 00:00:00,1\n");
        drop("ecc38a217ccc/broken.csv", "PK\u0003\u0004\u0000binary");

        awaitFile(INBOX.resolve(".done/ecc38a217ccc/AN53111387-E-2025-01-01T00-00-00-0500-1sec.csv"));
        awaitFile(INBOX.resolve(".done/ecc38a217ccc/2025/01/20250101_010000.csv"));
        awaitFile(INBOX.resolve(".done/ecc38a217ccc/2025-01-01_02-00-00.csv"));
        awaitFile(INBOX.resolve(".done/ecc38a217ccc/250101.0300.csv"));
        awaitFile(INBOX.resolve(".done/ecc38a217ccc/readings.csv"));
        awaitFile(INBOX.resolve(".done/newmeter7/a.csv"));
        awaitFile(INBOX.resolve(".error/ecc38a217ccc/broken.csv.reason"));

        assertEquals(
                "not a CSV file (binary content)",
                Files.readString(INBOX.resolve(".error/ecc38a217ccc/broken.csv.reason"))
                        .trim());
        JsonNode after = health();
        assertEquals(7, after.get("meters").asInt(), "newmeter7 was registered automatically");
        // 5 from the Unity file (one N/A skipped), 2 + 1 + 1 + 1 from the other schemes, 1 for newmeter7
        assertEquals(11, after.get("samples").asLong() - before.get("samples").asLong());
        assertEquals(1, queryLong("SELECT skipped_cells FROM ingested_file WHERE path LIKE '%1sec.csv'"));
        assertEquals(1735707600000L, queryLong("SELECT first_millis FROM ingested_file WHERE path LIKE '%1sec.csv'"));
        assertEquals(
                1735707600000L,
                queryLong(
                        "SELECT EXTRACT(EPOCH FROM name_time) * 1000 FROM ingested_file WHERE path LIKE '%1sec.csv'"));
        assertEquals(1, queryLong("SELECT COUNT(*) FROM ingested_file WHERE status = 'rejected'"));
        assertEquals(
                1,
                queryLong("SELECT COUNT(*) FROM meter WHERE id = 'newmeter7' AND timezone = 'America/New_York'"
                        + " AND origin = 'discovered'"));
    }

    @Test
    void a_file_still_being_written_is_read_only_when_complete() throws Exception {
        Path target = INBOX.resolve("ecc38a20c2b8/slow.csv");
        Files.createDirectories(target.getParent());
        int rows = 0;
        try (OutputStream out = Files.newOutputStream(target)) {
            out.write("timestamp,kw\n".getBytes(StandardCharsets.UTF_8));
            for (int part = 0; part < 4; part++) {
                for (int i = 0; i < 50; i++, rows++) {
                    out.write(String.format("2025-02-01 00:%02d:%02d,%d%n", rows / 60, rows % 60, rows)
                            .getBytes(StandardCharsets.UTF_8));
                }
                out.flush();
                Thread.sleep(600);
                assertTrue(Files.exists(target), "picked up while still being written");
            }
        }
        awaitFile(INBOX.resolve(".done/ecc38a20c2b8/slow.csv"));
        assertEquals(200, queryLong("SELECT rows_read FROM ingested_file WHERE path LIKE '%slow.csv'"));
        assertEquals(
                200,
                queryLong("SELECT SUM(b.sample_count) FROM sample_block b JOIN series s ON s.id = b.series_id"
                        + " WHERE s.meter_id = 'ecc38a20c2b8'"));
        assertFalse(Files.exists(INBOX.resolve(".error/ecc38a20c2b8/slow.csv")));
    }

    @Test
    void hostile_files_end_in_error_with_a_reason_and_never_hold_up_the_good_ones() throws Exception {
        StringBuilder wide = new StringBuilder("timestamp");
        for (int i = 0; i < 100_000; i++) {
            wide.append(",c").append(i);
        }
        long t0 = System.nanoTime();
        drop("hostile1/empty.csv", "");
        drop("hostile1/wide.csv", wide + "\n2025-01-01T00:00:00Z,1\n");
        drop("hostile1/long-name.csv", "timestamp," + "x".repeat(300) + "\n2025-01-01T00:00:00Z,1\n");
        drop(
                "hostile1/" + "d".repeat(200) + "/" + "e".repeat(200) + "/" + "f".repeat(200) + "/" + "g".repeat(200)
                        + "/" + "h".repeat(200) + "/" + "i".repeat(200) + "/deep.csv",
                "timestamp,kw\n2025-01-01T00:00:00Z,1\n");
        drop("hostile1/good.csv", "timestamp,kw\n2025-01-01T00:00:00Z,1\n2025-01-01T00:00:01Z,2\n");
        awaitFile(INBOX.resolve(".done/hostile1/good.csv"));
        awaitFile(INBOX.resolve(".error/hostile1/empty.csv.reason"));
        awaitFile(INBOX.resolve(".error/hostile1/wide.csv.reason"));
        awaitFile(INBOX.resolve(".error/hostile1/long-name.csv.reason"));
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        assertTrue(seconds < 10, "all settled in " + seconds + " s (an empty file once held the inbox up for 30 s)");
        assertEquals(
                "file is empty",
                Files.readString(INBOX.resolve(".error/hostile1/empty.csv.reason"))
                        .trim());
        assertEquals(
                "100001 columns; a file may hold at most 1000 signals",
                Files.readString(INBOX.resolve(".error/hostile1/wide.csv.reason"))
                        .trim());
        assertTrue(Files.readString(INBOX.resolve(".error/hostile1/long-name.csv.reason"))
                .startsWith("column 2 has a name longer than 255 characters"));
        try (var found = Files.walk(INBOX.resolve(".error/hostile1"))) {
            String reason = Files.readString(found.filter(p -> p.toString().endsWith("deep.csv.reason"))
                    .findFirst()
                    .orElseThrow());
            assertEquals("path is longer than 1024 characters", reason.trim());
        }
        assertEquals(
                1, queryLong("SELECT COUNT(*) FROM series WHERE meter_id = 'hostile1'"), "only the good file's kw");
        assertEquals(
                2,
                queryLong("SELECT SUM(b.sample_count) FROM sample_block b JOIN series s ON s.id = b.series_id"
                        + " WHERE s.meter_id = 'hostile1'"));
    }
}
