package io.meterflow.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two old services' clients, unchanged, against the engine with its default settings: each
 * request written exactly as the service's document writes it (seeds 000, the Flask CSV server,
 * and 001, the FastAPI export service), each documented answer asserted.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18402",
            "meterflow.inbox=target/it-legacy/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-legacy/db/meterflow",
            "meterflow.export.dir=target/it-legacy/exports",
            "meterflow.meters-file=config/meters.yaml",
            "meterflow.ingest.threads=2"
        })
class LegacyClientsTest {

    static final String BASE = "http://127.0.0.1:18402";
    static final Path INBOX = Path.of("target/it-legacy/inbox");
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static final String UTC_SECOND = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    @BeforeAll
    static void data() throws Exception {
        TestFiles.deleteTree(Path.of("target/it-legacy"));
        // January 2025 of meter T10 at one row a minute: 744 hourly files, 44,640 rows
        GenerateCommand.write(
                INBOX.resolve("ecc38a217ccc"),
                "AN53111387-E-",
                Instant.parse("2025-01-01T05:00:00Z"),
                31 * 24,
                60,
                ZoneId.of("America/New_York"));
        // the export service's meter "123": ten minutes of 2024-01-01, every 10 seconds
        StringBuilder rows = new StringBuilder("timestamp,energy_kwh,power_kw,voltage_v,current_a\n");
        for (int s = 0; s <= 600; s += 10) {
            rows.append(String.format(
                    "2024-01-01T00:%02d:%02dZ,%s,2.%d,230.1,9.1%n", s / 60, s % 60, 0.5 + s / 1000.0, s % 10));
        }
        Path file = INBOX.resolve("123/export.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, rows, StandardCharsets.UTF_8);
    }

    static void awaitIngested() {
        await().atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> {
                    try (Stream<Path> left = Files.walk(INBOX.resolve("ecc38a217ccc"))) {
                        return left.noneMatch(Files::isRegularFile)
                                && Files.exists(INBOX.resolve(".done/123/export.csv"));
                    }
                });
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(BASE + path))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(BASE + path))
                        .timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    @Test
    void the_csv_server_client_flow_gets_the_documented_answers() throws Exception {
        awaitIngested();
        // 1. health
        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode());
        assertEquals("healthy", json(health).get("status").asText());
        // 2. meters with data on the server
        JsonNode meters = json(get("/list_meters"));
        assertEquals("[\"123\",\"ecc38a217ccc\"]", meters.get("meters").toString());
        assertEquals(2, meters.get("count").asInt());
        assertEquals(
                7, json(get("/list_meters?include_empty=true")).get("count").asInt(), "configured meters too");
        // 3. date range and file count
        JsonNode info = json(get("/meter_info/ecc38a217ccc"));
        assertEquals("ecc38a217ccc", info.get("mac_address").asText());
        assertEquals(744, info.get("file_count").asInt());
        assertEquals("2025-01-01T00:00:00-05:00", info.get("earliest_datetime").asText());
        assertEquals("2025-01-31T23:59:00-05:00", info.get("latest_datetime").asText());
        // 4. the composite CSV, exactly as the document's curl and Python clients send it
        String request = "{\n  \"mac_address\": \"ecc38a217ccc\",\n  \"start_datetime\": \"2025-01-01T00:00:00\",\n"
                + "  \"end_datetime\": \"2025-01-31T23:59:59\",\n  \"resolution\": \"1min\"\n}";
        HttpResponse<String> csv = post("/generate_csv", request);
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals(
                "attachment; filename=\"AN53111387-E-1minRES_44640CLP_250101.0000-250131.2359.csv\"",
                csv.headers().firstValue("Content-Disposition").orElse(""));
        List<String> lines = csv.body().lines().toList();
        assertEquals(44_641, lines.size());
        assertEquals("timestamp,com_ap,pf,u_a,i_a,pos_ae,neg_ae,com_ae,freq", lines.get(0), "no extra columns");
        // one row a minute: the mean of each 1-minute bin is the row itself, every column alike
        List<String> first =
                Files.readAllLines(INBOX.resolve(".done/ecc38a217ccc/AN53111387-E-2025-01-01T00-00-00-0500-60sec.csv"));
        assertEquals(asNumbers(first.get(1)), asNumbers(lines.get(1)));
        assertEquals(asNumbers(first.get(60)), asNumbers(lines.get(60)));
        // the documented request with base_filename, and datetimes written with a space
        HttpResponse<String> named = post(
                "/generate_csv",
                "{\"mac_address\": \"ecc38a217ccc\", \"start_datetime\": \"2025-01-01 00:00:00\","
                        + " \"end_datetime\": \"2025-01-01 23:59:59\", \"resolution\": \"1hr\","
                        + " \"base_filename\": \"AN53111387-E-\"}");
        assertEquals(200, named.statusCode(), named.body());
        assertTrue(named.headers()
                .firstValue("Content-Disposition")
                .orElse("")
                .contains("AN53111387-E-1hrRES_24CLP_250101.0000-250101.2359.csv"));
        // a range without data is an error, as the old server's "no files found"
        HttpResponse<String> none = post(
                "/generate_csv",
                "{\"mac_address\": \"ecc38a217ccc\", \"start_datetime\": \"2024-06-01T00:00:00\","
                        + " \"end_datetime\": \"2024-06-01T23:59:59\", \"resolution\": \"1hr\"}");
        assertEquals(404, none.statusCode(), none.body());
        assertEquals("NO_DATA", json(none).get("error").get("code").asText());
        // Meterflow's richer answers, one parameter away
        HttpResponse<String> empty = post(
                "/generate_csv",
                "{\"mac_address\": \"ecc38a217ccc\", \"start_datetime\": \"2024-06-01T00:00:00\","
                        + " \"end_datetime\": \"2024-06-01T23:59:59\", \"resolution\": \"1hr\", \"include_empty\": true}");
        assertEquals(200, empty.statusCode());
        assertEquals(25, empty.body().lines().count());
        HttpResponse<String> auto = post(
                "/generate_csv",
                "{\"mac_address\": \"ecc38a217ccc\", \"start_datetime\": \"2025-01-01T00:00:00\","
                        + " \"end_datetime\": \"2025-01-01T00:59:59\", \"resolution\": \"1hr\", \"aggregation\": \"auto\"}");
        assertTrue(auto.body().lines().findFirst().orElse("").contains(",pos_ae,pos_ae_delta,"), auto.body());
        // no CORS unless configured
        HttpResponse<String> preflight = HTTP.send(
                HttpRequest.newBuilder(URI.create(BASE + "/generate_csv"))
                        .header("Origin", "http://workstation.example")
                        .header("Access-Control-Request-Method", "POST")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertFalse(
                preflight.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }

    private static List<Double> asNumbers(String csvLine) {
        String[] cells = csvLine.split(",");
        return Stream.of(cells).skip(1).map(Double::parseDouble).toList();
    }

    @Test
    void the_export_service_client_flow_gets_the_documented_answers() throws Exception {
        awaitIngested();
        HttpResponse<String> created = post(
                "/api/export/csv",
                "{\n    \"smart_meter_id\": \"123\",\n    \"start_datetime\": \"2024-01-01T00:00:00Z\",\n"
                        + "    \"end_datetime\": \"2024-01-01T00:10:00Z\",\n    \"format\": \"csv\"\n  }");
        assertEquals(200, created.statusCode(), created.body());
        JsonNode job = json(created);
        assertEquals("pending", job.get("status").asText());
        assertEquals("Export job created successfully", job.get("message").asText());
        String id = job.get("job_id").asText();
        assertTrue(id.matches("[0-9a-f-]{36}"), id);

        JsonNode status = await().atMost(Duration.ofSeconds(60))
                .until(
                        () -> json(get("/api/export/status/" + id)),
                        s -> s.get("status").asText().equals("completed"));
        assertEquals(id, status.get("job_id").asText());
        assertEquals("Export completed successfully", status.get("message").asText());
        assertTrue(status.get("created_at").asText().matches(UTC_SECOND), status.toString());
        assertTrue(status.get("updated_at").asText().matches(UTC_SECOND), status.toString());
        JsonNode file = status.get("file_info");
        assertEquals("/api/export/download/" + id, file.get("download_url").asText());
        assertEquals(11, file.get("record_count").asInt(), "00:00 to 00:10 at one row a minute");
        assertEquals(
                "2024-01-01T00:00:00Z", file.get("export_period").get("start").asText());
        assertEquals(
                "2024-01-01T00:10:00Z", file.get("export_period").get("end").asText());

        HttpResponse<String> download = get("/api/export/download/" + id);
        assertEquals(200, download.statusCode());
        assertEquals(
                "text/csv; charset=utf-8",
                download.headers().firstValue("Content-Type").orElse(""));
        assertEquals(
                "attachment; filename=\"" + file.get("filename").asText() + "\"",
                download.headers().firstValue("Content-Disposition").orElse(""));
        assertEquals(file.get("file_size_bytes").asLong(), download.body().getBytes(StandardCharsets.UTF_8).length);
        assertEquals(12, download.body().lines().count());
        assertTrue(download.body().startsWith("timestamp,energy_kwh,power_kw,voltage_v,current_a"), download.body());

        // the document's error tests, and its validation rules
        String[][] errors = {
            {"999", "2024-01-01T00:00:00Z", "2024-01-01T00:10:00Z", "SMART_METER_NOT_FOUND"},
            {"123", "2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z", "INVALID_RANGE"},
            {"123", "2024-01-01T00:00:00Z", "2024-01-01T00:00:30Z", "RANGE_TOO_SMALL"},
            {"123", "2024-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "FUTURE_DATETIME"},
            {"123", "2022-01-01T00:00:00Z", "2024-01-01T00:00:00Z", "RANGE_TOO_LARGE"},
        };
        for (String[] e : errors) {
            HttpResponse<String> r = post(
                    "/api/export/csv",
                    "{\n    \"smart_meter_id\": \"" + e[0] + "\",\n    \"start_datetime\": \"" + e[1]
                            + "\",\n    \"end_datetime\": \"" + e[2] + "\",\n    \"format\": \"csv\"\n  }");
            assertEquals(400, r.statusCode(), String.join(" ", e) + " -> " + r.body());
            assertEquals(e[3], json(r).get("error").get("code").asText(), r.body());
        }
        HttpResponse<String> unknown = get("/api/export/status/uuid-string");
        assertEquals(200, unknown.statusCode());
        assertEquals("{\"status\":\"not_found\",\"message\":\"Job with ID 'uuid-string' not found\"}", unknown.body());
    }
}
