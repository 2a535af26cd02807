package io.meterflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meterflow.app.MeterflowApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** With API keys configured, every endpoint but /health needs X-API-Key. */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18083",
            "meterflow.api.keys=first-key, second-key",
            "meterflow.inbox=target/it-keys/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-keys/db/meterflow",
            "meterflow.export.dir=target/it-keys/exports"
        })
class ApiKeysRouteTest {

    private static int status(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:18083" + path));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return HttpClient.newHttpClient()
                .send(b.build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void endpoints_need_a_configured_key_but_health_does_not() throws Exception {
        assertEquals(401, status("/list_meters", null));
        assertEquals(401, status("/list_meters", "wrong"));
        assertEquals(200, status("/list_meters", "first-key"));
        assertEquals(200, status("/list_meters", "second-key"));
        assertEquals(401, status("/meter_info/ecc38a217ccc", null));
        assertEquals(401, status("/api/export/status/x", null));
        assertEquals(200, status("/health", null));
    }
}
