package io.meterflow.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.meterflow.TestFiles;
import io.meterflow.app.MeterflowApplication;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.model.rest.RestDefinition;
import org.apache.camel.model.rest.VerbDefinition;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at /api-doc: valid for a real OpenAPI parser, naming every REST operation
 * of the routes with schemas and examples, and describing the real answers of the running engine
 * (each validated against its schema); Swagger UI served at /docs, with the API key.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18401",
            "meterflow.api.keys=docs-key",
            "meterflow.inbox=target/it-docs/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-docs/db/meterflow",
            "meterflow.export.dir=target/it-docs/exports",
            "meterflow.meters-file=config/meters.yaml"
        })
class ApiDocsTest {

    static final String BASE = "http://127.0.0.1:18401";
    static final String KEY = "docs-key";
    static final Path INBOX = Path.of("target/it-docs/inbox");
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void data() throws Exception {
        TestFiles.deleteTree(Path.of("target/it-docs"));
        StringBuilder rows = new StringBuilder("timestamp,kw,pos_ae\n");
        for (int i = 0; i < 120; i++) {
            rows.append(String.format("2025-01-06T00:%02d:%02d-05:00,%d,%s%n", i / 60, i % 60, i, 1000 + i * 0.5));
        }
        Path file = INBOX.resolve("ecc38a217ccc/day.csv");
        Files.createDirectories(file.getParent());
        Files.writeString(file, rows, StandardCharsets.UTF_8);
        // a file the inbox rejects (a header, no rows): the file ledger has a rejection to show and re-queue
        Path empty = INBOX.resolve("307a57001e28/empty.csv");
        Files.createDirectories(empty.getParent());
        Files.writeString(empty, "timestamp,kw\n", StandardCharsets.UTF_8);
    }

    static HttpResponse<String> send(String method, String path, String body, String key) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(20));
        if (key != null) {
            b.header("X-API-Key", key);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(
                method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode document() throws Exception {
        HttpResponse<String> r = send("GET", "/api-doc", null, KEY);
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    @Test
    void the_document_is_valid_openapi_and_needs_the_key() throws Exception {
        assertEquals(401, send("GET", "/api-doc", null, null).statusCode());
        String body = send("GET", "/api-doc", null, KEY).body();
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(body, null, options);
        assertEquals(List.of(), result.getMessages(), "OpenAPI parser messages");
        assertEquals("3.1.0", result.getOpenAPI().getOpenapi());
        assertEquals(
                "X-API-Key",
                result.getOpenAPI()
                        .getComponents()
                        .getSecuritySchemes()
                        .get("apiKey")
                        .getName());
        assertTrue(result.getOpenAPI().getPaths().size() >= 15);
    }

    @Test
    void every_json_example_matches_its_own_schema() throws Exception {
        JsonNode doc = document();
        List<String> problems = new ArrayList<>();
        int examples = 0;
        for (JsonNode path : doc.get("paths")) {
            for (JsonNode op : path) {
                List<JsonNode> media = new ArrayList<>();
                op.path("requestBody").path("content").forEach(media::add);
                op.path("responses").forEach(r -> r.path("content").forEach(media::add));
                for (JsonNode m : media) {
                    if (m.has("example") && m.path("schema").has("$ref")
                            || m.path("schema").has("type")) {
                        if (!m.has("example") || !m.get("example").isContainerNode()) {
                            continue;
                        }
                        ObjectNode schema = m.get("schema").deepCopy();
                        schema.set("components", doc.get("components"));
                        List<Error> errors = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                                .getSchema(schema)
                                .validate(m.get("example"));
                        examples++;
                        if (!errors.isEmpty()) {
                            problems.add(m.get("example") + ": " + errors);
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(examples >= 12, "JSON examples checked: " + examples);
    }

    @Test
    void every_rest_operation_is_documented_with_schemas_and_examples() throws Exception {
        JsonNode paths = document().get("paths");
        List<String> problems = new ArrayList<>();
        int operations = 0;
        for (RestDefinition rest : context.getCamelContextExtension()
                .getContextPlugin(org.apache.camel.model.Model.class)
                .getRestDefinitions()) {
            for (VerbDefinition verb : rest.getVerbs()) {
                operations++;
                String where = verb.asVerb().toUpperCase(Locale.ROOT) + " " + verb.getPath();
                JsonNode op = paths.path(verb.getPath()).path(verb.asVerb());
                if (op.isMissingNode()) {
                    problems.add(where + ": not in the document");
                    continue;
                }
                JsonNode ok = op.path("responses").path("200");
                if (!ok.path("content").isObject() || ok.path("content").isEmpty()) {
                    problems.add(where + ": no 200 content");
                }
                ok.path("content").forEach(media -> {
                    if (!media.has("schema")) {
                        problems.add(where + ": a 200 content without a schema");
                    }
                    if (!media.has("example") && !verb.getPath().equals("/api-doc")) {
                        problems.add(where + ": a 200 content without an example");
                    }
                });
                // a route that consumes JSON documents its body with a schema and an example; the others none
                if ("application/json".equals(verb.getConsumes())) {
                    JsonNode request = op.path("requestBody").path("content").path("application/json");
                    if (!request.has("schema") || !request.has("example")) {
                        problems.add(where + ": no request schema with an example");
                    }
                } else if (op.has("requestBody")) {
                    problems.add(where + ": a request body, but the route consumes none");
                }
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(operations >= 13, "REST operations: " + operations);
        // nothing documented that the routes do not serve (besides /health and /observe/metrics)
        List<String> extra = new ArrayList<>();
        paths.fieldNames().forEachRemaining(p -> {
            boolean routed = context
                            .getCamelContextExtension()
                            .getContextPlugin(org.apache.camel.model.Model.class)
                            .getRestDefinitions()
                            .stream()
                            .flatMap(r -> r.getVerbs().stream())
                            .anyMatch(v -> v.getPath().equals(p))
                    || p.equals("/health")
                    || p.equals("/observe/metrics");
            if (!routed) {
                extra.add(p);
            }
        });
        assertEquals(List.of(), extra);
    }

    /** Validates a real answer against the schema the document gives for its path, method and status. */
    static void conforms(JsonNode doc, String template, String method, HttpResponse<String> r) throws Exception {
        JsonNode responses = doc.path("paths").path(template).path(method).path("responses");
        JsonNode response = responses.has(String.valueOf(r.statusCode()))
                ? responses.get(String.valueOf(r.statusCode()))
                : responses.path("default");
        assertTrue(!response.isMissingNode(), template + " documents no " + r.statusCode() + ": " + r.body());
        if (response.has("$ref")) {
            response = doc.at(response.get("$ref").asText().substring(1));
        }
        String type =
                r.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        JsonNode schemaNode = response.path("content").path(type).path("schema");
        assertTrue(!schemaNode.isMissingNode(), template + " " + r.statusCode() + " documents no " + type);
        if (!type.equals("application/json")) {
            return;
        }
        // the schema with the document's components beside it, so that its $refs resolve
        ObjectNode schema = schemaNode.deepCopy();
        schema.set("components", doc.get("components"));
        Schema validator = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(schema);
        List<Error> errors = validator.validate(JSON.readTree(r.body()));
        assertEquals(List.of(), errors, method + " " + template + " " + r.statusCode() + ": " + r.body());
    }

    /** {@link #conforms}, for an answer that must have this status. */
    static void conforms(JsonNode doc, String template, String method, int status, HttpResponse<String> r)
            throws Exception {
        assertEquals(status, r.statusCode(), method + " " + template + ": " + r.body());
        conforms(doc, template, method, r);
    }

    @Test
    void real_answers_validate_against_their_schemas() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(INBOX.resolve(".done/ecc38a217ccc/day.csv")));
        JsonNode doc = document();
        String range = "\"start_datetime\":\"2025-01-06T05:00:00Z\",\"end_datetime\":\"2025-01-06T05:01:59Z\"";
        conforms(doc, "/health", "get", send("GET", "/health", null, null));
        conforms(doc, "/list_meters", "get", send("GET", "/list_meters", null, KEY));
        conforms(doc, "/meter_info/{mac}", "get", send("GET", "/meter_info/ecc38a217ccc", null, KEY));
        conforms(doc, "/meter_info/{mac}", "get", send("GET", "/meter_info/ffffffffffff", null, KEY));
        conforms(
                doc,
                "/api/meters/{id}/series",
                "get",
                send("GET", "/api/meters/ecc38a217ccc/series?signal=kw&max_points=10", null, KEY));
        conforms(doc, "/api/dead-letters", "get", send("GET", "/api/dead-letters?limit=5", null, KEY));
        conforms(doc, "/api/sources/eniscope", "get", send("GET", "/api/sources/eniscope", null, KEY));
        conforms(doc, "/api/exports", "get", send("GET", "/api/exports", null, KEY));
        conforms(doc, "/api/exports/{name}/runs", "get", send("GET", "/api/exports/t10-nightly/runs", null, KEY));
        conforms(doc, "/api/exports/{name}/run", "post", send("POST", "/api/exports/t10-nightly/run", "", KEY));
        HttpResponse<String> csv =
                send("POST", "/generate_csv", "{\"mac_address\":\"ecc38a217ccc\"," + range + "}", KEY);
        assertEquals(200, csv.statusCode(), csv.body());
        conforms(doc, "/generate_csv", "post", csv);
        conforms(
                doc,
                "/generate_csv",
                "post",
                send("POST", "/generate_csv", "{\"mac_address\":\"nope\"," + range + "}", KEY));
        HttpResponse<String> created =
                send("POST", "/api/export/csv", "{\"smart_meter_id\":\"ecc38a217ccc\"," + range + "}", KEY);
        conforms(doc, "/api/export/csv", "post", created);
        String id = JSON.readTree(created.body()).get("job_id").asText();
        HttpResponse<String> status = await().atMost(Duration.ofSeconds(30))
                .until(() -> send("GET", "/api/export/status/" + id, null, KEY), r -> r.body()
                        .contains("\"completed\""));
        conforms(doc, "/api/export/status/{job_id}", "get", status);
        conforms(doc, "/api/export/download/{job_id}", "get", send("GET", "/api/export/download/" + id, null, KEY));
        conforms(doc, "/api/export/status/{job_id}", "get", send("GET", "/api/export/status/no-such-job", null, KEY));
        conforms(doc, "/api/export/jobs", "get", 200, send("GET", "/api/export/jobs", null, KEY));
        conforms(doc, "/api/export/jobs", "get", 400, send("GET", "/api/export/jobs?limit=0", null, KEY));
        conforms(doc, "/observe/metrics", "get", send("GET", "/observe/metrics", null, KEY));
    }

    /** The console's endpoints: their real answers, with data and with their errors, against their schemas. */
    @Test
    void the_consoles_answers_validate_against_their_schemas() throws Exception {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(INBOX.resolve(".done/ecc38a217ccc/day.csv"))
                        && Files.exists(INBOX.resolve(".error/307a57001e28/empty.csv.reason")));
        JsonNode doc = document();
        conforms(doc, "/api/meters", "get", 200, send("GET", "/api/meters", null, KEY));

        String coverage = "/api/meters/{id}/coverage";
        conforms(doc, coverage, "get", 200, send("GET", "/api/meters/ecc38a217ccc/coverage", null, KEY));
        conforms(
                doc,
                coverage,
                "get",
                200,
                send("GET", "/api/meters/ecc38a217ccc/coverage?start=2025-01-06&end=2025-01-07", null, KEY));
        conforms(doc, coverage, "get", 400, send("GET", "/api/meters/ecc38a217ccc/coverage?start=x", null, KEY));
        conforms(doc, coverage, "get", 404, send("GET", "/api/meters/ffffffffffff/coverage", null, KEY));

        String kpis = "/api/meters/{id}/kpis";
        String day = "start=2025-01-06&end=2025-01-06T23:59:59";
        // the default power signal (com_ap) is missing: its figures are null
        HttpResponse<String> defaults = send("GET", "/api/meters/ecc38a217ccc/kpis?" + day, null, KEY);
        conforms(doc, kpis, "get", 200, defaults);
        assertTrue(JSON.readTree(defaults.body()).get("peak_kw").isNull(), defaults.body());
        HttpResponse<String> figures = send("GET", "/api/meters/ecc38a217ccc/kpis?" + day + "&power=kw", null, KEY);
        conforms(doc, kpis, "get", 200, figures);
        assertEquals(119.0, JSON.readTree(figures.body()).get("peak_kw").asDouble(), figures.body());
        conforms(doc, kpis, "get", 400, send("GET", "/api/meters/ecc38a217ccc/kpis?start=2025-01-06", null, KEY));
        conforms(doc, kpis, "get", 404, send("GET", "/api/meters/ecc38a217ccc/kpis?" + day + "&power=no", null, KEY));

        String bundle = "/api/meters/{id}/bundle";
        conforms(
                doc,
                bundle,
                "get",
                200,
                send("GET", "/api/meters/ecc38a217ccc/bundle?signals=kw,pos_ae&max_points=10&" + day, null, KEY));
        conforms(
                doc, bundle, "get", 400, send("GET", "/api/meters/ecc38a217ccc/bundle?max_points=2&" + day, null, KEY));
        conforms(doc, bundle, "get", 404, send("GET", "/api/meters/ecc38a217ccc/bundle?signals=no&" + day, null, KEY));

        HttpResponse<String> files = send("GET", "/api/files", null, KEY);
        conforms(doc, "/api/files", "get", 200, files);
        conforms(doc, "/api/files", "get", 400, send("GET", "/api/files?status=lost", null, KEY));
        long ingested = -1;
        long rejected = -1;
        for (JsonNode f : JSON.readTree(files.body()).get("files")) {
            if (f.get("status").asText().equals("ingested")) {
                ingested = f.get("id").asLong();
            } else {
                rejected = f.get("id").asLong();
            }
        }
        assertTrue(ingested > 0 && rejected > 0, files.body());
        String requeue = "/api/files/{id}/requeue";
        conforms(doc, requeue, "post", 400, send("POST", "/api/files/x/requeue", "", KEY));
        conforms(doc, requeue, "post", 404, send("POST", "/api/files/999999/requeue", "", KEY));
        conforms(doc, requeue, "post", 409, send("POST", "/api/files/" + ingested + "/requeue", "", KEY));
        // not fixed, so read and rejected again: harmless
        conforms(doc, requeue, "post", 200, send("POST", "/api/files/" + rejected + "/requeue", "", KEY));

        conforms(doc, "/api/sources/niagara", "get", 200, send("GET", "/api/sources/niagara", null, KEY));
    }

    @Test
    void swagger_ui_is_served_at_docs_and_sends_the_key_in_the_header() throws Exception {
        HttpResponse<String> page = send("GET", "/docs/", null, null);
        assertEquals(200, page.statusCode(), "the UI's files need no key");
        assertTrue(page.body().contains("swagger-ui"), page.body());
        assertTrue(page.body().contains("swagger-initializer.js"));
        HttpResponse<String> bundle = send("GET", "/docs/swagger-ui-bundle.js", null, null);
        assertEquals(200, bundle.statusCode());
        assertTrue(bundle.body().length() > 500_000);
        String init = send("GET", "/docs/swagger-initializer.js", null, null).body();
        assertTrue(init.contains("url: \"/api-doc\""), init);
        assertTrue(init.contains("request.headers[\"X-API-Key\"]"), init);
        assertTrue(init.contains("preauthorizeApiKey(\"apiKey\""), init);
        assertEquals(302, send("GET", "/docs", null, null).statusCode());
        // the document the UI loads needs the key, as every other endpoint
        assertEquals(401, send("GET", "/api-doc", null, null).statusCode());
    }
}
