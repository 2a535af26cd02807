package io.meterflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.app.MeterflowApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.Test;

/** With API keys configured, every endpoint but /health needs the X-API-Key header. */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18083",
            "meterflow.api.keys=first-key, second-key",
            "meterflow.inbox=target/it-keys/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-keys/db/meterflow",
            "meterflow.export.dir=target/it-keys/exports",
            "meterflow.api.cors-origins=http://tools.example"
        })
class ApiKeysRouteTest {

    private static int status(String path, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:18083" + path));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
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
        // the OpenAPI document and unknown paths are behind the key too
        assertEquals(401, status("/api-doc", null));
        assertEquals(200, status("/api-doc", "first-key"));
        assertEquals(401, status("/no/such/path", null));
        assertEquals(404, status("/no/such/path", "first-key"));
    }

    @Test
    void a_key_in_the_url_is_refused_even_when_it_is_valid() throws Exception {
        assertEquals(400, status("/list_meters?X-API-Key=first-key", null));
        assertEquals(400, status("/list_meters?x-api-key=first-key", "first-key"));
        HttpResponse<String> r = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:18083/list_meters?X-API-Key=first-key"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        assertTrue(r.body().contains("\"API_KEY_IN_URL\""), r.body());
        assertFalse(r.body().contains("first-key"), "the key is not echoed");
    }

    @Test
    void browsers_of_a_configured_origin_get_cors_answers_before_the_key_check() throws Exception {
        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        // the preflight carries no key: it is answered before the key check
        HttpResponse<String> preflight = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:18083/generate_csv"))
                        .header("Origin", "http://tools.example")
                        .header("Access-Control-Request-Method", "POST")
                        .header("Access-Control-Request-Headers", "content-type,x-api-key")
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(preflight.statusCode() == 204 || preflight.statusCode() == 200, preflight.toString());
        assertEquals(
                "http://tools.example",
                preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(preflight
                .headers()
                .firstValue("Access-Control-Allow-Headers")
                .orElse("")
                .toLowerCase()
                .contains("x-api-key"));
        HttpResponse<String> list = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:18083/list_meters"))
                        .header("Origin", "http://tools.example")
                        .header("X-API-Key", "first-key")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode());
        assertEquals(
                "http://tools.example",
                list.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        assertTrue(list.headers()
                .firstValue("Access-Control-Expose-Headers")
                .orElse("")
                .contains("Content-Disposition"));
        // another origin gets no CORS permission
        HttpResponse<String> other = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:18083/list_meters"))
                        .header("Origin", "http://elsewhere.example")
                        .header("X-API-Key", "first-key")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, other.statusCode(), "served, without CORS headers (the browser refuses it)");
        assertFalse(other.headers().firstValue("Access-Control-Allow-Origin").isPresent());
    }
}
