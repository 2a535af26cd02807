package io.meterflow.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.series.Meter;
import io.meterflow.store.MeterTable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * routes/meters.camel.yaml: meters another engine on the same database discovered are known here,
 * at once when asked for by id, and in the list within seconds.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18096",
            "meterflow.inbox=target/it-meters/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-meters/db/meterflow",
            "meterflow.export.dir=target/it-meters/exports"
        })
class MetersRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void clean() {
        TestFiles.deleteTree(Path.of("target/it-meters"));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:18096" + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void meters_another_engine_discovered_are_known_here() throws Exception {
        Engine engine = context.getRegistry().lookupByNameAndType("engine", Engine.class);
        // what another engine does when a new inbox folder appears on its side: the row in the meter table
        MeterTable otherEngine = new MeterTable(engine.dataSource());
        otherEngine.save(Meter.discovered("elsewhere1", ZoneId.of("Europe/Paris")), "discovered");
        otherEngine.save(Meter.discovered("elsewhere2", ZoneId.of("UTC")), "discovered");
        assertEquals(404, get("/meter_info/nowhere1").statusCode(), "a meter no engine knows");

        HttpResponse<String> info = get("/meter_info/elsewhere1");
        assertEquals(200, info.statusCode(), "asked by id: read through to the meter table at once");
        assertEquals("elsewhere1", JSON.readTree(info.body()).get("mac_address").asText());
        assertEquals(
                ZoneId.of("Europe/Paris"), engine.registry().find("elsewhere1").zone());

        // never asked for by id: listed after the next refresh (every 5 s)
        await().atMost(Duration.ofSeconds(12)).untilAsserted(() -> {
            // meters without data are listed on request (as the CSV server, /list_meters lists those with data)
            JsonNode list = JSON.readTree(get("/list_meters?include_empty=true").body());
            assertEquals(6 + 2, list.get("count").asInt(), list.toString());
        });
        assertFalse(engine.registry().find("elsewhere2") == null);
        assertEquals(0, engine.refreshMeters(), "nothing new the second time");
    }
}
