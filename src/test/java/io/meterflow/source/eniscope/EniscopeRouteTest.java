package io.meterflow.source.eniscope;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Eniscope source end to end: the real Quartz route polls the simulator over real HTTP with
 * the account of a real {@code eniscope.yaml} (API key and password from the environment
 * variables the build sets), then the data is read back through the HTTP API: the reference
 * tables, the meter list and a composite CSV export.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18087",
            "meterflow.inbox=target/it-eniscope/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-eniscope/db/meterflow",
            "meterflow.export.dir=target/it-eniscope/exports",
            "meterflow.eniscope.enabled=true",
            "meterflow.eniscope-file=target/it-eniscope/eniscope.yaml",
            "meterflow.eniscope.cron=0/2 * * * * ?"
        })
class EniscopeRouteTest {

    @BeanInject
    CamelContext context;

    static final String BASE = "http://127.0.0.1:18087";
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();
    static EniscopeSimulator sim;

    @BeforeAll
    static void startSimulator() throws Exception {
        Path root = Path.of("target/it-eniscope");
        TestFiles.deleteTree(root);
        Files.createDirectories(root);
        sim = new EniscopeSimulator();
        Files.writeString(
                root.resolve("eniscope.yaml"),
                "accounts:\n"
                        + "  - name: retail\n"
                        + "    base_url: " + sim.url() + "\n"
                        + "    api_key_env: METERFLOW_TEST_ENISCOPE_KEY\n"
                        + "    email: " + EniscopeSimulator.EMAIL + "\n"
                        + "    password_env: METERFLOW_TEST_ENISCOPE_PASSWORD\n"
                        + "    organization: \"17158\"\n"
                        + "    fields: [E, P]\n"
                        + "    resolution: 900\n"
                        + "    backfill_days: 1\n");
    }

    @AfterAll
    static void stopSimulator() {
        sim.close();
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(BASE + path))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void the_scheduled_poll_discovers_the_organization_and_its_channels_data_reaches_the_api_and_exports()
            throws Exception {
        // the first fire discovers the three channels and gives each its watermark
        JsonNode account = await().atMost(Duration.ofSeconds(30))
                .until(
                        () -> get("/api/sources/eniscope").get("accounts").get(0),
                        a -> a.get("channels").size() == 3
                                && a.get("channels").findValues("watermark").stream()
                                        .noneMatch(JsonNode::isNull));
        assertEquals("retail", account.get("name").asText());
        assertEquals(List.of("17158", "17159"), account.get("organizations").findValuesAsText("id"));
        assertEquals("Store 12", account.get("organizations").get(1).get("name").asText());
        assertEquals(
                "Eniscope Hybrid 8",
                account.get("devices").get(0).get("device_type_name").asText());
        assertEquals(List.of("59155", "59156", "59157"), account.get("channels").findValuesAsText("id"));
        JsonNode channel = account.get("channels").get(0);
        assertEquals("eniscope-59155", channel.get("meter").asText());
        assertTrue(channel.get("last_error").isNull(), channel.toString());
        Instant watermark = Instant.parse(channel.get("watermark").asText());

        JsonNode meters = get("/list_meters").get("details");
        JsonNode meter = null;
        for (JsonNode m : meters) {
            if (m.get("id").asText().equals("eniscope-59155")) {
                meter = m;
            }
        }
        assertEquals("Store 12", meter.get("site").asText(), meters.toString());
        assertEquals("Channel 59155", meter.get("description").asText());
        assertEquals("America/Mexico_City", meter.get("timezone").asText());
        Engine engine = context.getRegistry().lookupByNameAndType("engine", Engine.class);
        try (Connection c = engine.store().dataSource().getConnection();
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT COUNT(*), MAX(PREV_FIRE_TIME) FROM QRTZ_TRIGGERS"
                                + " WHERE TRIGGER_GROUP = 'sources' AND TRIGGER_NAME = 'eniscope-retail'")) {
            rs.next();
            assertEquals(1, rs.getLong(1), "the poll's trigger lives in Quartz's clustered store");
            assertEquals(0, rs.getLong(2) % 2000, "fired on the 2 s cron");
        }
        long samples = get("/meter_info/eniscope-59155").get("sample_count").asLong();
        // a day of E and P at 15 min (and one more interval each if a quarter hour went by since the first poll)
        assertTrue(samples == 96 * 2 || samples == 97 * 2, "samples: " + samples);

        // the last hour before the watermark, four 15-minute bins, in UTC
        Instant from = watermark.minusSeconds(3600);
        HttpResponse<String> csv = HTTP.send(
                HttpRequest.newBuilder(URI.create(BASE + "/generate_csv"))
                        .header("Content-Type", "application/json")
                        .timeout(Duration.ofSeconds(20))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"mac_address\":\"eniscope-59155\",\"start_datetime\":\"" + from
                                        + "\",\"end_datetime\":\"" + watermark.minusSeconds(1)
                                        + "\",\"resolution\":\"15min\",\"timezone\":\"UTC\","
                                        + "\"aggregation\":\"auto\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, csv.statusCode(), csv.body());
        List<String> lines = csv.body().lines().toList();
        assertEquals(5, lines.size(), csv.body());
        List<String> header = List.of(lines.get(0).split(","));
        int e = header.indexOf("E_interval_kwh");
        int p = header.indexOf("P_kw");
        for (int i = 0; i < 4; i++) {
            String[] row = lines.get(i + 1).split(",");
            long ts = from.getEpochSecond() + i * 900L;
            assertEquals(Instant.ofEpochSecond(ts).toString().replace("Z", "+00:00"), row[0]);
            assertEquals(
                    EniscopeSimulator.power(ts) * 900 / 3600 / 1000, Double.parseDouble(row[e]), 1e-9, "E Wh -> kWh");
            assertEquals(EniscopeSimulator.power(ts) / 1000, Double.parseDouble(row[p]), 1e-9, "P W -> kW");
        }
    }
}
