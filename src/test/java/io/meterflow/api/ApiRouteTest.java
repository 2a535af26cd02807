package io.meterflow.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.app.MeterflowApplication;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
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
            "meterflow.ingest.poll-delay-ms=100",
            // the two minutes at 1min are answered from memory, at 1sec (about 4.8 kB) through a file
            "meterflow.export.sync-memory-bytes=4096"
        })
class ApiRouteTest {

    static final String BASE = "http://127.0.0.1:18082";
    static final Path INBOX = Path.of("target/it-api/inbox");
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
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
        // as the CSV server: the meters with data; include_empty=true adds the configured ones without
        JsonNode list = json(get("/list_meters"));
        assertEquals("[\"307a57001e28\",\"ecc38a217ccc\"]", list.get("meters").toString());
        assertEquals(2, list.get("count").asInt());
        assertEquals(
                6, json(get("/list_meters?include_empty=true")).get("count").asInt());
        assertEquals(400, get("/list_meters?include_empty=maybe").statusCode());
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
    void a_synchronous_export_longer_than_its_memory_goes_through_a_file_that_is_then_deleted() throws Exception {
        awaitIngested();
        String body = "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-06T00:00:00\","
                + "\"end_datetime\":\"2025-01-06T00:01:59\",\"resolution\":\"%s\",\"aggregation\":\"mean\"}";
        HttpResponse<String> small = post("/generate_csv", body.formatted("1min"));
        HttpResponse<String> large = post("/generate_csv", body.formatted("1sec"));
        assertEquals(200, small.statusCode(), small.body());
        assertEquals(200, large.statusCode(), large.body());
        // from memory in one write, from the file by the server's file transfer: the length known
        for (HttpResponse<String> r : List.of(small, large)) {
            assertEquals(
                    r.body().getBytes(StandardCharsets.UTF_8).length,
                    Long.parseLong(r.headers().firstValue("Content-Length").orElse("-1")));
            assertEquals(
                    "text/csv; charset=utf-8",
                    r.headers().firstValue("Content-Type").orElse(""));
            assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename="));
        }
        assertEquals(
                "2025-01-06T00:00:00-05:00,29.5,1014.75",
                small.body().lines().skip(1).findFirst().orElse(""));
        assertTrue(
                small.body().length() < 4096 && large.body().length() > 4096,
                large.body().length() + " chars");
        List<String> lines = large.body().lines().toList();
        assertEquals(121, lines.size());
        assertEquals("timestamp,kw,pos_ae", lines.get(0));
        for (int i = 0; i < 120; i++) {
            assertEquals(
                    String.format("2025-01-06T00:%02d:%02d-05:00,%d.0,%s", i / 60, i % 60, i, 1000 + i * 0.5),
                    lines.get(1 + i));
        }
        Path tmp = Path.of("target/it-api/exports/tmp");
        await().atMost(Duration.ofSeconds(10))
                .alias("the temporary file deleted once sent")
                .until(() -> {
                    try (Stream<Path> files = Files.list(tmp)) {
                        return files.findAny().isEmpty();
                    }
                });
        assertTrue(Files.isDirectory(tmp), "the 1sec export went through the folder of temporary files");
    }

    @Test
    void auto_aggregation_adds_counter_deltas_and_composites_prefix_serials() throws Exception {
        awaitIngested();
        HttpResponse<String> r = post(
                "/generate_csv",
                "{\"meters\":[\"ecc38a217ccc\",\"307a57001e28\"],"
                        + "\"start_datetime\":\"2025-01-06T05:00:00Z\",\"end_datetime\":\"2025-01-06T05:01:59Z\",\"resolution\":\"1min\","
                        + "\"base_filename\":\"cherry-ave-\",\"aggregation\":\"auto\"}");
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
    void oversized_requests_are_refused_or_trimmed_never_a_500() throws Exception {
        awaitIngested();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            many.append(i == 0 ? "" : ",").append("\"m").append(i).append('"');
        }
        HttpResponse<String> meters = post(
                "/generate_csv",
                "{\"meters\":[" + many + "],"
                        + "\"start_datetime\":\"2025-01-06T00:00:00\",\"end_datetime\":\"2025-01-06T01:00:00\"}");
        assertEquals(400, meters.statusCode(), meters.body());
        assertEquals("TOO_MANY_METERS", json(meters).get("error").get("code").asText());

        // a client's extra field is not stored with the job, however long
        HttpResponse<String> created = post(
                "/api/export/csv",
                "{\"smart_meter_id\":\"ecc38a217ccc\","
                        + "\"start_datetime\":\"2025-01-06T05:00:00Z\",\"end_datetime\":\"2025-01-06T05:01:59Z\","
                        + "\"resolution\":\"1min\",\"note\":\"" + "x".repeat(3_900) + "\"}");
        assertEquals(200, created.statusCode(), created.body());
        String id = json(created).get("job_id").asText();
        await().atMost(Duration.ofSeconds(20)).until(() -> json(get("/api/export/status/" + id))
                .get("status")
                .asText()
                .equals("completed"));

        HttpResponse<String> disabled = post("/api/exports/t10-nightly/run", "");
        assertEquals(409, disabled.statusCode(), disabled.body());
        assertEquals(
                "DEFINITION_DISABLED", json(disabled).get("error").get("code").asText());
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
        // as the export service: UTC, to the second
        assertEquals(
                "2025-01-06T05:00:00Z", file.get("export_period").get("start").asText());
        assertTrue(status.get("created_at").asText().matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z"));
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

        // an unknown job: 200 with status not_found, as the export service answered; its download is a 404
        HttpResponse<String> unknown = get("/api/export/status/no-such-job");
        assertEquals(200, unknown.statusCode());
        assertEquals("not_found", json(unknown).get("status").asText());
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

    /** A request written byte for byte (no client normalises it): the status and the body. */
    static String[] raw(String head, byte[] body) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", 18082)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(("Host: 127.0.0.1\r\nConnection: close\r\n"
                            + (body == null ? "" : "Content-Length: " + body.length + "\r\n")
                            + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (java.io.IOException e) {
                    // the server may answer and close before reading all of an oversized body
                }
            }
            out.flush();
            InputStream in = socket.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String status = response.substring(9, 12);
            int blank = response.indexOf("\r\n\r\n");
            String answer = blank < 0 ? "" : response.substring(blank + 4);
            if (response.substring(0, Math.max(0, blank)).toLowerCase().contains("transfer-encoding: chunked")) {
                StringBuilder joined = new StringBuilder();
                int at = 0;
                for (int size; (size = Integer.parseInt(answer.substring(at, answer.indexOf("\r\n", at)), 16)) > 0; ) {
                    int start = answer.indexOf("\r\n", at) + 2;
                    joined.append(answer, start, start + size);
                    at = start + size + 2;
                }
                answer = joined.toString();
            }
            return new String[] {status, answer};
        }
    }

    /** Asserts a JSON error with this status and code. */
    private static void jsonError(String[] answer, int status, String code, String what) throws Exception {
        assertEquals(String.valueOf(status), answer[0], what + " -> " + answer[1]);
        assertEquals(code, JSON.readTree(answer[1]).path("error").path("code").asText(), what + " -> " + answer[1]);
    }

    @Test
    void malformed_requests_get_json_4xx_never_a_500_or_html() throws Exception {
        awaitIngested();
        String day = "\"start_datetime\":\"2025-01-06T00:00:00\",\"end_datetime\":\"2025-01-06T01:00:00\"";
        // path traversal in ids and names: no file is ever read outside its folder
        jsonError(raw("GET /api/export/status/.. HTTP/1.1\r\n", null), 404, "NOT_FOUND", "id ..");
        jsonError(raw("GET /api/export/status/ HTTP/1.1\r\n", null), 404, "NOT_FOUND", "empty id");
        jsonError(
                raw("GET /api/export/download/%2e%2e%2f%2e%2e%2fpom.xml HTTP/1.1\r\n", null),
                404,
                "JOB_NOT_FOUND",
                "encoded ../");
        jsonError(
                raw("GET /api/export/download/..%2F..%2F..%2Fetc%2Fpasswd HTTP/1.1\r\n", null),
                404,
                "JOB_NOT_FOUND",
                "encoded ../ upper case");
        jsonError(raw("GET /meter_info/%2Fetc%2Fpasswd HTTP/1.1\r\n", null), 400, "INVALID_METER_ID", "absolute");
        jsonError(
                raw("POST /api/exports/..%2f..%2fetc/run?date=2025-01-06 HTTP/1.1\r\n", new byte[0]),
                404,
                "EXPORT_NOT_FOUND",
                "definition ../");
        // what the HTTP server answers itself
        jsonError(raw("GET /no/such/endpoint HTTP/1.1\r\n", null), 404, "NOT_FOUND", "unknown path");
        jsonError(raw("DELETE /list_meters HTTP/1.1\r\n", null), 405, "METHOD_NOT_ALLOWED", "DELETE");
        byte[] json = ("{\"mac_address\":\"ecc38a217ccc\"," + day + "}").getBytes(StandardCharsets.UTF_8);
        jsonError(raw("POST /generate_csv HTTP/1.1\r\n", json), 415, "UNSUPPORTED_MEDIA_TYPE", "no type");
        jsonError(
                raw("POST /generate_csv HTTP/1.1\r\nContent-Type: text/plain\r\n", json),
                415,
                "UNSUPPORTED_MEDIA_TYPE",
                "text/plain");
        byte[] big = new byte[2 << 20];
        java.util.Arrays.fill(big, (byte) ' ');
        jsonError(
                raw("POST /generate_csv HTTP/1.1\r\nContent-Type: application/json\r\n", big),
                413,
                "BODY_TOO_LARGE",
                "2 MiB body");
        // bodies: malformed JSON, wrong types, nulls
        String[][] bodies = {
            {"{\"mac_address\":", "INVALID_BODY"},
            {"null", "INVALID_BODY"},
            {"\"text\"", "INVALID_BODY"},
            {"{\"mac_address\":5," + day + "}", "METER_NOT_FOUND|SMART_METER_NOT_FOUND"},
            {"{\"mac_address\":[\"ecc38a217ccc\"]," + day + "}", "INVALID_METER_ID"},
            {"{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":[],\"end_datetime\":{}}", "INVALID_DATETIME"},
            {"{\"meters\":\"ecc38a217ccc\"," + day + "}", "INVALID_METERS"},
            {"{\"mac_address\":\"ecc38a217ccc\"," + day + ",\"resolution\":7}", "INVALID_RESOLUTION"},
            {"{\"mac_address\":\"ecc38a217ccc\"," + day + ",\"timezone\":\"Mars/Base\"}", "INVALID_TIMEZONE"},
            {"{\"mac_address\":\"ecc38a217ccc\"," + day + ",\"base_filename\":\"/etc/passwd\"}", "INVALID_FILENAME"},
            {"{\"mac_address\":\"ecc38a217ccc\"," + day + ",\"base_filename\":\"..%2f..\"}", "INVALID_FILENAME"}
        };
        for (String[] b : bodies) {
            for (String path : List.of("/generate_csv", "/api/export/csv")) {
                HttpResponse<String> r = post(path, b[0]);
                assertEquals(
                        400 <= r.statusCode() && r.statusCode() < 500, true, path + " " + b[0] + " -> " + r.body());
                assertTrue(
                        json(r).get("error").get("code").asText().matches(b[1]), path + " " + b[0] + " -> " + r.body());
            }
        }
        // query parameters of the wrong type
        for (String path : List.of(
                "/api/meters/ecc38a217ccc/series?signal=kw&max_points=abc",
                "/api/meters/ecc38a217ccc/series?signal=kw&start=tomorrow",
                "/api/dead-letters?limit=-5",
                "/api/dead-letters?limit=abc")) {
            HttpResponse<String> r = get(path);
            assertEquals(400, r.statusCode(), path + " -> " + r.body());
            assertTrue(json(r).get("error").has("code"), path);
        }
    }
}
