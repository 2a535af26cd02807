package io.meterflow.source.niagara.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import io.meterflow.store.Sql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Niagara HTTP source end to end: routes/niagara-http.camel.yaml makes a Quartz route for the
 * station of a real niagara-http.yaml (password from the environment variable the build sets),
 * which polls a station simulator over real HTTP; the data is read back through the HTTP API.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18089",
            "meterflow.inbox=target/it-niagara-http/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-niagara-http/db/meterflow",
            "meterflow.export.dir=target/it-niagara-http/exports",
            "meterflow.niagara-http.enabled=true",
            "meterflow.niagara-http-file=target/it-niagara-http/niagara-http.yaml",
            "meterflow.niagara-http.cron=0 0 0 1 1 ? 2099"
        })
class NiagaraHttpRouteTest {

    static final String BASE = "http://127.0.0.1:18089";
    static final Instant FIRST = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(2));
    static StationSimulator station;

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void startStation() throws Exception {
        Path root = Path.of("target/it-niagara-http");
        TestFiles.deleteTree(root);
        Files.createDirectories(root);
        station = StationSimulator.http();
        station.start = FIRST;
        // the station's own cron (every 2 s) wins over the engine-wide default (never, above)
        Files.writeString(
                root.resolve("niagara-http.yaml"),
                "stations:\n"
                        + "  - name: AmsShop\n"
                        + "    base_url: " + station.url() + "\n"
                        + "    cron: \"0/2 * * * * ?\"\n"
                        + "    timezone: America/Denver\n"
                        + "    user: obix\n"
                        + "    password_env: METERFLOW_TEST_NIAGARA_PASSWORD\n"
                        + "    histories:\n"
                        + "      - id: Main$20kW\n"
                        + "      - id: Zone$20Temp\n"
                        + "        csv_path: " + StationSimulator.CSV_PATH + "\n");
    }

    @AfterAll
    static void stopStation() {
        station.close();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(HttpRequest.newBuilder(URI.create(BASE + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void the_station_route_polls_on_its_own_cron_and_the_data_is_served() throws Exception {
        assertTrue(context.getRouteController()
                .getRouteStatus("niagara-http-AmsShop")
                .isStarted());
        // 2500 oBIX records and 2 CSV rows; neither oBIX nor the plain CSV export carries a status
        await().atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(() -> get("/meter_info/AmsShop").get("sample_count").asLong() == 2502);
        JsonNode info = get("/meter_info/AmsShop");
        assertEquals(List.of("Main$20kW", "Zone$20Temp"), info.get("signals").findValuesAsText("signal"));

        // the first hour at 1hr: the mean of records 0..59 is 29.5
        String body = "{\"mac_address\":\"AmsShop\",\"start_datetime\":\"" + FIRST + "\",\"end_datetime\":\""
                + FIRST.plusSeconds(3599) + "\",\"resolution\":\"1hr\",\"aggregation\":\"mean\",\"timezone\":\"UTC\"}";
        HttpResponse<String> csv = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create(BASE + "/generate_csv"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, csv.statusCode(), csv.body());
        List<String> lines = csv.body().lines().toList();
        assertEquals("timestamp,Main$20kW,Zone$20Temp", lines.get(0));
        assertTrue(lines.get(1).startsWith(FIRST.toString().replace("Z", "+00:00") + ",29.5,"), lines.get(1));

        // the poll's trigger lives in Quartz's clustered store, firing on the 2 s cron
        Engine engine = context.getRegistry().lookupByNameAndType("engine", Engine.class);
        List<Long> fires = Sql.query(
                engine.dataSource(),
                "SELECT PREV_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'sources' AND TRIGGER_NAME = ?",
                0,
                rs -> rs.getLong(1),
                "niagara-http-AmsShop");
        assertTrue(fires.size() == 1 && fires.get(0) % 2000 == 0, fires.toString());
        // later fires poll from the watermark: nothing new, nothing stored twice
        int calls = station.obixCalls.get();
        await().atMost(Duration.ofSeconds(10)).until(() -> station.obixCalls.get() > calls);
        assertEquals(2502, get("/meter_info/AmsShop").get("sample_count").asLong());
    }
}
