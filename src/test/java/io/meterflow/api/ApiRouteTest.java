package io.meterflow.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.app.MeterflowApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API end to end: files through the real inbox route, then real HTTP requests. */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18082",
            "meterflow.inbox=target/it-api/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-api/db/meterflow",
            "meterflow.export.dir=target/it-api/exports",
            "meterflow.meters-file=config/meters.yaml",
            "meterflow.ingest.poll-delay-ms=100"
        })
class ApiRouteTest {

    static final String BASE = "http://127.0.0.1:18082";
    static final Path INBOX = Path.of("target/it-api/inbox");
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void clean() throws Exception {
        Path root = Path.of("target/it-api");
        TestFiles.deleteTree(root);
        // meter T10: 2025-01-06 00:00:00..00:01:59 local, kw = second index, pos_ae rising 0.5 per second
        StringBuilder t10 = new StringBuilder("timestamp,kw,pos_ae\n");
        for (int i = 0; i < 120; i++) {
            t10.append(String.format("2025-01-06T00:%02d:%02d-05:00,%d,%s%n", i / 60, i % 60, i, 1000 + i * 0.5));
        }
        write("ecc38a217ccc/AN53111387-E-2025-01-06T00-00-00-0500-1sec.csv", t10.toString());
        write("307a57001e28/main.csv", "timestamp,kw\n2025-01-06 00:00:30,5\n2025-01-06 00:01:30,7\n");
    }

    private static void write(String relative, String content) throws Exception {
        Path p = INBOX.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    /** Waits (once per test context) until the two files are ingested. */
    private static void awaitIngested() {
        await().atMost(Duration.ofSeconds(20))
                .alias("both files ingested")
                .until(() ->
                        Files.exists(INBOX.resolve(".done/ecc38a217ccc/AN53111387-E-2025-01-06T00-00-00-0500-1sec.csv"))
                                && Files.exists(INBOX.resolve(".done/307a57001e28/main.csv")));
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(BASE + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(BASE + path))
                        .timeout(Duration.ofSeconds(20))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void list_meters_and_meter_info_answer_like_the_csv_server() throws Exception {
        awaitIngested();
        JsonNode list = json(get("/list_meters"));
        assertEquals(6, list.get("count").asInt());
        assertTrue(list.get("meters").toString().contains("ecc38a217ccc"));
        HttpResponse<String> info = get("/meter_info/ecc38a217ccc");
        assertEquals(200, info.statusCode());
        JsonNode i = json(info);
        assertEquals("ecc38a217ccc", i.get("mac_address").asText());
        assertEquals(1, i.get("file_count").asInt());
        assertEquals("2025-01-06T00:00:00-05:00", i.get("earliest_datetime").asText());
        assertEquals("2025-01-06T00:01:59-05:00", i.get("latest_datetime").asText());
        assertEquals(240, i.get("sample_count").asLong());
        assertEquals("counter", i.get("signals").get(1).get("kind").asText());
        HttpResponse<String> missing = get("/meter_info/ffffffffffff");
        assertEquals(404, missing.statusCode());
        assertEquals("METER_NOT_FOUND", json(missing).get("error").get("code").asText());
        assertEquals(400, get("/meter_info/bad%20id").statusCode());
    }

    @Test
    void generate_csv_returns_exact_means_and_the_seed_file_name() throws Exception {
        awaitIngested();
        HttpResponse<String> r = post(
                "/generate_csv",
                "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-06T00:00:00\","
                        + "\"end_datetime\":\"2025-01-06T00:02:59\",\"resolution\":\"1min\",\"aggregation\":\"mean\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(
                "attachment; filename=\"AN53111387-E-1minRES_3CLP_250106.0000-250106.0002.csv\"",
                r.headers().firstValue("Content-Disposition").orElse(""));
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        List<String> lines = r.body().lines().toList();
        assertEquals("timestamp,kw,pos_ae", lines.get(0));
        // minute 0: kw 0..59 (mean 29.5), pos_ae 1000..1029.5 (mean 1014.75); minute 2 is empty
        assertEquals("2025-01-06T00:00:00-05:00,29.5,1014.75", lines.get(1));
        assertEquals("2025-01-06T00:01:00-05:00,89.5,1044.75", lines.get(2));
        assertEquals("2025-01-06T00:02:00-05:00,,", lines.get(3));
        assertEquals(4, lines.size());
    }

    @Test
    void auto_aggregation_adds_counter_deltas_and_composites_prefix_serials() throws Exception {
        awaitIngested();
        HttpResponse<String> r = post(
                "/generate_csv",
                "{\"meters\":[\"ecc38a217ccc\",\"307a57001e28\"],"
                        + "\"start_datetime\":\"2025-01-06T05:00:00Z\",\"end_datetime\":\"2025-01-06T05:01:59Z\",\"resolution\":\"1min\","
                        + "\"base_filename\":\"cherry-ave-\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers()
                .firstValue("Content-Disposition")
                .orElse("")
                .contains("cherry-ave-1minRES_2CLP_250106.0000-250106.0001.csv"));
        List<String> lines = r.body().lines().toList();
        assertEquals(
                "timestamp,AN53111387-E-kw,AN53111387-E-pos_ae,AN53111387-E-pos_ae_delta,AN54021613-C-kw",
                lines.get(0));
        // pos_ae: last of minute 0 is 1029.5, delta 29.5 (59 steps of 0.5); minute 1 last 1059.5, delta 30
        assertEquals("2025-01-06T00:00:00-05:00,29.5,1029.5,29.5,5.0", lines.get(1));
        assertEquals("2025-01-06T00:01:00-05:00,89.5,1059.5,30.0,7.0", lines.get(2));
    }

    @Test
    void bad_requests_get_json_errors_with_the_right_status() throws Exception {
        awaitIngested();
        String[][] cases = {
            {
                "{\"mac_address\":\"nope\",\"start_datetime\":\"2025-01-06T00:00:00\",\"end_datetime\":\"2025-01-07T00:00:00\"}",
                "404",
                "METER_NOT_FOUND"
            },
            {
                "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"yesterday\",\"end_datetime\":\"2025-01-07T00:00:00\"}",
                "400",
                "INVALID_DATETIME"
            },
            {
                "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-07T00:00:00\",\"end_datetime\":\"2025-01-07T00:00:00\"}",
                "400",
                "INVALID_RANGE"
            },
            {
                "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2024-01-01T00:00:00\",\"end_datetime\":\"2025-06-01T00:00:00\"}",
                "400",
                "RANGE_TOO_LARGE"
            },
            {
                "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-01T00:00:00\",\"end_datetime\":\"2025-03-01T00:00:00\",\"resolution\":\"1sec\"}",
                "400",
                "RANGE_TOO_LARGE"
            },
            {
                "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-06T00:00:00\",\"end_datetime\":\"2025-01-07T00:00:00\",\"resolution\":\"2min\"}",
                "400",
                "INVALID_RESOLUTION"
            },
            {
                "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-06T00:00:00\",\"end_datetime\":\"2025-01-07T00:00:00\",\"base_filename\":\"../../etc/\"}",
                "400",
                "INVALID_FILENAME"
            },
            {"[1,2]", "400", "INVALID_BODY"},
            {
                "{\"start_datetime\":\"2025-01-06T00:00:00\",\"end_datetime\":\"2025-01-07T00:00:00\"}",
                "400",
                "MISSING_FIELD"
            }
        };
        for (String[] c : cases) {
            HttpResponse<String> r = post("/generate_csv", c[0]);
            assertEquals(Integer.parseInt(c[1]), r.statusCode(), c[0] + " -> " + r.body());
            assertEquals(c[2], json(r).get("error").get("code").asText(), c[0]);
        }
        HttpResponse<String> resolution = post("/generate_csv", cases[5][0]);
        assertTrue(json(resolution)
                .get("error")
                .get("message")
                .asText()
                .contains("1sec, 1min, 5min, 15min, 30min, 1hr, 1day, 1week"));
        assertTrue(json(post("/generate_csv", cases[3][0]))
                .get("error")
                .get("message")
                .asText()
                .contains("366 days"));
    }

    @Test
    void an_asynchronous_job_runs_through_to_download() throws Exception {
        awaitIngested();
        HttpResponse<String> created = post(
                "/api/export/csv",
                "{\"smart_meter_id\":\"ecc38a217ccc\","
                        + "\"start_datetime\":\"2025-01-06T05:00:00Z\",\"end_datetime\":\"2025-01-06T05:01:59Z\",\"resolution\":\"1min\",\"format\":\"csv\"}");
        assertEquals(200, created.statusCode(), created.body());
        assertEquals("pending", json(created).get("status").asText());
        String id = json(created).get("job_id").asText();
        JsonNode status = await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> json(get("/api/export/status/" + id)),
                        s -> s.get("status").asText().equals("completed"));
        JsonNode file = status.get("file_info");
        assertEquals(
                "AN53111387-E-1minRES_2CLP_250106.0000-250106.0001.csv",
                file.get("filename").asText());
        assertEquals(2, file.get("record_count").asLong());
        assertEquals("/api/export/download/" + id, file.get("download_url").asText());
        assertEquals(
                "2025-01-06T00:00:00-05:00",
                file.get("export_period").get("start").asText());
        assertEquals(100, status.get("progress").asInt());
        HttpResponse<String> download = get(file.get("download_url").asText());
        assertEquals(200, download.statusCode());
        assertEquals(file.get("file_size_bytes").asLong(), download.body().getBytes(StandardCharsets.UTF_8).length);
        assertEquals(
                "2025-01-06T00:01:00-05:00,89.5,1059.5,30.0",
                download.body().lines().toList().get(2));
        assertTrue(download.headers()
                .firstValue("Content-Disposition")
                .orElse("")
                .contains(file.get("filename").asText()));

        assertEquals(404, get("/api/export/status/no-such-job").statusCode());
        assertEquals(
                "JOB_NOT_FOUND",
                json(get("/api/export/download/no-such-job"))
                        .get("error")
                        .get("code")
                        .asText());
    }

    @Test
    void the_openapi_document_lists_the_endpoints() throws Exception {
        HttpResponse<String> doc = get("/api-doc");
        assertEquals(200, doc.statusCode());
        for (String path : new String[] {"/generate_csv", "/list_meters", "/meter_info/{mac}", "/api/export/csv"}) {
            assertTrue(doc.body().contains(path), path);
        }
    }

    @Test
    void series_points_are_downsampled_for_charts_with_first_and_last_kept() throws Exception {
        awaitIngested();
        HttpResponse<String> r = get("/api/meters/ecc38a217ccc/series?signal=kw&start=2025-01-06T00:00:00"
                + "&end=2025-01-06T00:10:00&max_points=10");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode body = json(r);
        assertEquals(120, body.get("source_points").asInt());
        JsonNode points = body.get("points");
        assertEquals(10, points.size());
        assertEquals("2025-01-06T00:00:00-05:00", points.get(0).get(0).asText());
        assertEquals(0.0, points.get(0).get(1).asDouble());
        assertEquals("2025-01-06T00:01:59-05:00", points.get(9).get(0).asText());
        assertEquals(119.0, points.get(9).get(1).asDouble());
        assertEquals(404, get("/api/meters/ecc38a217ccc/series?signal=nope").statusCode());
        assertEquals(
                400,
                get("/api/meters/ecc38a217ccc/series?signal=kw&max_points=1").statusCode());
        JsonNode all = json(get("/api/meters/ecc38a217ccc/series?signal=pos_ae"));
        assertEquals(2, all.get("source_points").asInt(), "a long range reads minute means");
    }
}
