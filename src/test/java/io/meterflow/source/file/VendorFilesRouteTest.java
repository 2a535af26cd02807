package io.meterflow.source.file;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.app.MeterflowApplication;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real-world meter files (src/test/resources/formats, in the vendors' own layouts) dropped into
 * the inbox of a running engine through the real route; what was stored is read back over the
 * HTTP API: the signals with their kind and unit ({@code /meter_info}) and their samples, with
 * instants, ({@code /api/meters/{id}/series}).
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18450",
            "meterflow.inbox=target/it-vendor/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-vendor/db/meterflow",
            "meterflow.meters-file=src/test/resources/formats/meters.yaml",
            "meterflow.exports-file=target/it-vendor/none.yaml",
            "meterflow.export.dir=target/it-vendor/exports",
            "meterflow.timestamps.locales=en,de",
            "meterflow.ingest.poll-delay-ms=100"
        })
class VendorFilesRouteTest {

    static final Path INBOX = Path.of("target/it-vendor/inbox");
    private static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void clean() {
        TestFiles.deleteTree(Path.of("target/it-vendor"));
    }

    /** Copies a fixture into {@code inbox/<meter>/} (written elsewhere, then moved in, as one should); waits for it to be read. */
    private static void dropAndAwait(String fixture, String meter) throws Exception {
        String name = Path.of(fixture).getFileName().toString();
        Path staging = Path.of("target/it-vendor/staging").resolve(meter).resolve(name);
        Files.createDirectories(staging.getParent());
        try (InputStream in = VendorFilesRouteTest.class.getResourceAsStream("/formats/" + fixture)) {
            Files.copy(in, staging, StandardCopyOption.REPLACE_EXISTING);
        }
        Path target = INBOX.resolve(meter).resolve(name);
        Files.createDirectories(target.getParent());
        Files.move(staging, target, StandardCopyOption.REPLACE_EXISTING);
        Path done = INBOX.resolve(".done").resolve(meter).resolve(name);
        Path error = INBOX.resolve(".error").resolve(meter).resolve(name + ".reason");
        await().atMost(Duration.ofSeconds(60))
                .alias(fixture + " ingested")
                .until(() -> Files.exists(done) || Files.exists(error));
        assertFalse(Files.exists(error), () -> fixture + " rejected: " + read(error));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:18450" + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return JSON.readTree(r.body());
    }

    /** signal → {kind, unit, display_name} as /meter_info lists them. */
    private static Map<String, JsonNode> signals(String meter) throws Exception {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (JsonNode s : get("/meter_info/" + meter).get("signals")) {
            out.put(s.get("signal").asText(), s);
        }
        return out;
    }

    /** The stored points of a signal as "local time with offset=value" (minute means of the raw samples). */
    private static List<String> points(String meter, String signal) throws Exception {
        JsonNode body = get("/api/meters/" + meter + "/series?signal="
                + URLEncoder.encode(signal, StandardCharsets.UTF_8) + "&max_points=20000");
        List<String> out = new ArrayList<>();
        for (JsonNode p : body.get("points")) {
            out.add(p.get(0).asText() + "=" + p.get(1).asDouble());
        }
        return out;
    }

    @Test
    void an_egauge_export_newest_first_through_the_autumn_overlap_stores_both_one_oclock_readings() throws Exception {
        dropAndAwait("egauge/egauge-home-hourly-kwh.csv", "egauge-home");
        Map<String, JsonNode> s = signals("egauge-home");
        assertEquals(List.of("use", "gen", "Grid"), List.copyOf(s.keySet()));
        assertEquals("counter", s.get("use").get("kind").asText(), "a kWh register that never falls");
        assertEquals("kWh", s.get("use").get("unit").asText());
        assertEquals("counter", s.get("gen").get("kind").asText(), "a register at rest at night");
        List<String> use = points("egauge-home", "use");
        assertEquals(9, use.size(), "no hour lost in the overlap: " + use);
        assertEquals("2025-11-01T22:00:00-06:00=15234.512", use.get(0));
        assertEquals("2025-11-02T01:00:00-06:00=15236.457", use.get(3));
        assertEquals("2025-11-02T01:00:00-07:00=15236.921", use.get(4));
        assertEquals("2025-11-02T05:00:00-07:00=15238.902", use.get(8));
    }

    @Test
    void an_emonitor_export_with_its_preamble_and_a_utc_header_is_stored_without_a_shift() throws Exception {
        dropAndAwait("emonitor/emonitor-store114-hourly.csv", "emonitor-114");
        Map<String, JsonNode> s = signals("emonitor-114");
        assertEquals(List.of("Main", "HVAC RTU-1", "Walk-in Cooler"), List.copyOf(s.keySet()));
        assertEquals("interval", s.get("Main").get("kind").asText(), "kWh per hour: summed, not averaged");
        assertEquals("kWh", s.get("Main").get("unit").asText());
        assertEquals("gauge", s.get("Walk-in Cooler").get("kind").asText());
        assertEquals("kW", s.get("Walk-in Cooler").get("unit").asText());
        List<String> main = points("emonitor-114", "Main");
        assertEquals("2025-01-15T00:00:00-05:00=41.27", main.get(0), "05:00 UTC is midnight in Columbus");
        assertEquals(6, main.size());
    }

    @Test
    void a_headerless_ted_history_is_read_with_the_columns_the_meter_config_names() throws Exception {
        dropAndAwait("ted/minutehistory-mtu1.csv", "ted-house");
        Map<String, JsonNode> s = signals("ted-house");
        assertEquals(List.of("power_kw", "cost", "voltage_v"), List.copyOf(s.keySet()), "mtu holds text only");
        List<String> power = points("ted-house", "power_kw");
        assertEquals(
                List.of(
                        "2025-02-10T18:00:00-08:00=2.431",
                        "2025-02-10T18:01:00-08:00=2.455",
                        "2025-02-10T18:02:00-08:00=3.901",
                        "2025-02-10T18:03:00-08:00=3.872",
                        "2025-02-10T18:04:00-08:00=2.396",
                        "2025-02-10T18:05:00-08:00=2.418"),
                power);
    }

    @Test
    void an_acuvim_data_log_with_a_title_line_and_row_numbers_keeps_its_registers_and_units() throws Exception {
        dropAndAwait("accuenergy/acuvim-datalog1.csv", "acuvim-main");
        Map<String, JsonNode> s = signals("acuvim-main");
        assertEquals(
                List.of("Ep_Imp", "Ep_Exp", "Eq_Imp", "P", "Q", "U_avg", "I_avg", "PF"),
                List.copyOf(s.keySet()),
                "No. is not a signal");
        assertEquals("counter", s.get("Ep_Imp").get("kind").asText());
        assertEquals("counter", s.get("Eq_Imp").get("kind").asText());
        assertEquals("kvarh", s.get("Eq_Imp").get("unit").asText());
        assertEquals("kW", s.get("P").get("unit").asText());
        assertFalse(s.get("PF").has("unit"));
        assertEquals(
                "2025-06-02T00:15:00-05:00=212.4", points("acuvim-main", "P").get(0), "W stored as kW");
        assertEquals(
                "2025-06-02T01:30:00-05:00=128990.75",
                points("acuvim-main", "Ep_Imp").get(5));
    }

    @Test
    void an_emporia_export_is_read_in_the_zone_its_header_names() throws Exception {
        dropAndAwait("emporia/Barn-1H.csv", "emporia-barn");
        Map<String, JsonNode> s = signals("emporia-barn");
        assertEquals(List.of("Barn-Mains_A", "Barn-Mains_B", "Barn-Dryer"), List.copyOf(s.keySet()), "No CT: none");
        assertEquals("interval", s.get("Barn-Mains_A").get("kind").asText(), "(kWhs) per bucket");
        // the meter is in New York (the default); the file says Chicago: 10:00 there is 11:00 here
        assertEquals(
                "2025-07-14T11:00:00-04:00=1.523",
                points("emporia-barn", "Barn-Mains_A").get(0));
    }

    @Test
    void niagara_history_exports_dropped_in_the_inbox_become_the_station_histories() throws Exception {
        dropAndAwait("niagara/Vav1$2d01$20Space$20Temp.csv", "AmsShop");
        dropAndAwait("niagara/vav_1_11_space_temp.csv", "AmsShop");
        Map<String, JsonNode> s = signals("AmsShop");
        assertEquals(List.of("Vav1$2d01$20Space$20Temp", "Vav1$2d11$20SpaceTemperature"), List.copyOf(s.keySet()));
        assertEquals(
                "Vav1-01 Space Temp",
                s.get("Vav1$2d01$20Space$20Temp").get("display_name").asText());
        assertEquals("°F", s.get("Vav1$2d01$20Space$20Temp").get("unit").asText());
        assertEquals(
                "Vav1-11 SpaceTemperature",
                s.get("Vav1$2d11$20SpaceTemperature").get("display_name").asText());
        assertEquals(
                "2025-11-05T14:19:00-07:00=74.5",
                points("AmsShop", "Vav1$2d01$20Space$20Temp").get(0),
                "05-Nov-25 2:19:58 PM MST (minute means)");
        List<String> workbench = points("AmsShop", "Vav1$2d11$20SpaceTemperature");
        assertEquals(
                List.of(
                        "2025-11-22T00:00:00-07:00=72.0",
                        "2025-11-22T00:05:00-07:00=72.1",
                        "2025-11-22T00:10:00-07:00=71.9",
                        "2025-11-22T21:55:00-07:00=72.4"),
                workbench,
                "title, range and flags skipped; the unit in each cell read past");
    }

    @Test
    void a_niagara_export_in_german_with_24_hours_and_german_zone_names_keeps_both_hours_of_the_overlap()
            throws Exception {
        dropAndAwait("niagara/Kessel$20Vorlauf.csv", "Werk3");
        List<String> flow = points("Werk3", "Kessel$20Vorlauf");
        assertEquals(
                List.of(
                        "2025-10-26T01:30:00+02:00=61.2",
                        "2025-10-26T02:00:00+02:00=61.4",
                        "2025-10-26T02:30:00+02:00=61.5",
                        "2025-10-26T02:00:00+01:00=61.7",
                        "2025-10-26T02:30:00+01:00=61.8",
                        "2025-10-26T03:00:00+01:00=62.0"),
                flow);
        assertTrue(signals("Werk3").get("Kessel$20Vorlauf").get("unit").asText().equals("°C"));
    }
}
