package io.meterflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.app.MeterflowApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * routes/console.camel.yaml over real HTTP, with API keys set: the console's page and files come
 * from the jar without a key (the API behind them still needs one), with content types, ETags and
 * a content security policy; anything else under /console is a JSON 404, never a file elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18501",
            "meterflow.api.keys=console-key",
            "meterflow.inbox=target/it-console-files/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-console-files/db/meterflow",
            "meterflow.export.dir=target/it-console-files/exports"
        })
class ConsoleRouteTest {

    static final String BASE = "http://127.0.0.1:18501";
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void clean() {
        TestFiles.deleteTree(Path.of("target/it-console-files"));
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(20));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String code(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body()).path("error").path("code").asText();
    }

    @Test
    void the_page_and_its_files_are_served_without_a_key_but_the_api_behind_them_is_not() throws Exception {
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode(), page.body());
        assertEquals(
                "text/html; charset=utf-8",
                page.headers().firstValue("Content-Type").orElse(""));
        assertTrue(page.body().contains("<script type=\"module\" src=\"/console/js/app.js\"></script>"));
        assertTrue(
                page.headers().firstValue("Content-Security-Policy").orElse("").startsWith("default-src 'self'"));
        assertEquals(
                "nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));

        HttpResponse<String> app = get("/console/js/app.js");
        assertEquals(200, app.statusCode());
        assertEquals(
                "text/javascript; charset=utf-8",
                app.headers().firstValue("Content-Type").orElse(""));
        assertTrue(app.body().contains("import('./pages/meters.js')"));
        assertEquals(
                "text/css; charset=utf-8",
                get("/console/console.css").headers().firstValue("Content-Type").orElse(""));
        HttpResponse<String> uplot = get("/console/vendor/uplot/uPlot.iife.min.js");
        assertEquals(200, uplot.statusCode());
        assertTrue(uplot.body().contains("uPlot"), "the WebJar's file");
        assertEquals(200, get("/console/vendor/uplot/uPlot.min.css").statusCode());

        // the API the page calls still needs the key, sent as a header
        assertEquals(401, get("/api/meters").statusCode());
        assertEquals(200, get("/api/meters", "X-API-Key", "console-key").statusCode());
        assertEquals(
                401,
                get("/api/meters/ecc38a217ccc/kpis?start=2024-01-01&end=2024-01-02")
                        .statusCode());
        assertEquals(401, get("/api/files").statusCode());
    }

    @Test
    void an_unchanged_file_is_answered_304_by_its_etag() throws Exception {
        HttpResponse<String> first = get("/console/js/api.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = get("/console/js/api.js", "If-None-Match", etag);
        assertEquals(304, again.statusCode());
        assertEquals("", again.body());
        assertEquals(
                200, get("/console/js/api.js", "If-None-Match", "\"other\"").statusCode());
    }

    @Test
    void paths_that_name_no_console_file_are_json_404s() throws Exception {
        for (String path : new String[] {
            "/console/nope.js",
            "/console/",
            "/console/.hidden",
            "/console/js//app.js",
            "/console/..%2F..%2Fpom.xml",
            "/console/vendor/uplot/../LICENSE",
            "/console/vendor/uplot/%2e%2e%2fpackage.json",
            "/console/db/migration/V1__foundation.sql",
            "/console/js/app.js%00.html"
        }) {
            HttpResponse<String> r = get(path);
            assertEquals(404, r.statusCode(), path + " -> " + r.body());
            assertEquals("NOT_FOUND", code(r), path);
        }
        // a path whose dot segments lead out of /console is no console file: it needs the key, then
        // names no endpoint
        for (String path : new String[] {"/console/%2e%2e/%2e%2e/pom.xml", "/console/../pom.xml"}) {
            assertEquals(401, get(path).statusCode(), path);
            HttpResponse<String> r = get(path, "X-API-Key", "console-key");
            assertEquals(404, r.statusCode(), path + " -> " + r.body());
            assertEquals("NOT_FOUND", code(r), path);
        }
        // other paths still need the key (401 before any 404)
        assertEquals(401, get("/index.html").statusCode());
        assertEquals(401, get("/favicon.ico").statusCode());
    }
}
