package io.meterflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** routes/health.camel.yaml: GET /health over real HTTP, open even when API keys are set, 503 without a database. */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18090",
            "meterflow.api.keys=k1",
            "meterflow.inbox=target/it-health/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-health/db/meterflow",
            "meterflow.export.dir=target/it-health/exports"
        })
class HealthRouteTest {

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void clean() {
        TestFiles.deleteTree(Path.of("target/it-health"));
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:18090" + path))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void health_answers_without_a_key_and_turns_503_when_the_database_is_gone() throws Exception {
        HttpResponse<String> ok = get("/health");
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode body = new ObjectMapper().readTree(ok.body());
        assertEquals("healthy", body.get("status").asText());
        assertEquals("meterflow", body.get("server").asText());
        assertTrue(body.get("database").get("reachable").asBoolean());
        assertEquals(6, body.get("meters").asInt(), "the six meters of config/meters.yaml");
        assertEquals(0, body.get("samples").asLong());
        assertEquals(0, body.get("dead_letters").asLong());
        JsonNode engines = body.get("engines");
        assertEquals(1, engines.size(), "this engine, from the engine table");
        assertTrue(engines.get(0).get("alive").asBoolean());
        assertTrue(engines.get(0).get("this").asBoolean());
        assertEquals(
                ProcessHandle.current().pid() + "@",
                engines.get(0).get("name").asText().replaceAll("@.*", "@"));
        assertEquals(401, get("/list_meters").statusCode(), "the API itself needs the key");

        // the pool closed: every connection attempt fails at once
        ((HikariDataSource) context.getRegistry()
                        .lookupByNameAndType("engine", Engine.class)
                        .dataSource())
                .close();
        // counts read for one answer serve the next ones for up to 0.5 s (HealthService.FRESH)
        Thread.sleep(HealthService.FRESH.toMillis());
        HttpResponse<String> down = get("/health");
        assertEquals(503, down.statusCode(), down.body());
        JsonNode downBody = new ObjectMapper().readTree(down.body());
        assertEquals("unhealthy", downBody.get("status").asText());
        assertFalse(downBody.get("database").get("reachable").asBoolean());
        assertFalse(downBody.get("database").get("error").asText().isBlank());
    }
}
