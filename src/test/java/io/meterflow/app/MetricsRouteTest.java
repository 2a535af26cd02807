package io.meterflow.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The metrics route and /observe/metrics: after real work (a file ingested and one rejected through
 * the inbox route, an export job over HTTP) a scrape over HTTP holds the engine's counters,
 * histograms and gauges with the values of that work; the shipped alert rules and Grafana
 * dashboard parse and name only metrics the scrape has.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18400",
            "meterflow.inbox=target/it-metrics/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-metrics/db/meterflow",
            "meterflow.export.dir=target/it-metrics/exports",
            "meterflow.meters-file=config/meters.yaml",
            // MQTT on with no broker: the connection gauge reads 0
            "meterflow.mqtt.enabled=true",
            "meterflow.mqtt.broker-url=tcp://127.0.0.1:18449",
            "meterflow.mqtt.client-id=metrics-test"
        })
class MetricsRouteTest {

    static final String BASE = "http://127.0.0.1:18400";
    static final Path INBOX = Path.of("target/it-metrics/inbox");
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();
    /** A sample line of the Prometheus text format: name, labels, value. */
    static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)$");

    @BeforeAll
    static void clean() throws Exception {
        TestFiles.deleteTree(Path.of("target/it-metrics"));
    }

    /** 120 one-second rows of {@code kw} and {@code pos_ae} from local midnight of {@code day}. */
    static String rows(String day) {
        StringBuilder rows = new StringBuilder("timestamp,kw,pos_ae\n");
        for (int i = 0; i < 120; i++) {
            rows.append(String.format("%sT00:%02d:%02d-05:00,%d,%s%n", day, i / 60, i % 60, i, 1000 + i * 0.5));
        }
        return rows.toString();
    }

    private static void write(String relative, String content) throws Exception {
        Path p = INBOX.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
    }

    static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every sample of a scrape: {@code name{labels}} to value. */
    static Map<String, Double> scrape() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(BASE + "/observe/metrics")));
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        Map<String, Double> samples = new HashMap<>();
        for (String line : r.body().lines().toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    static Set<String> names(Map<String, Double> samples) {
        Set<String> names = new TreeSet<>();
        samples.keySet().forEach(k -> names.add(k.replaceFirst("\\{.*", "")));
        return names;
    }

    @Test
    void a_scrape_after_real_work_holds_its_counts_durations_and_lag() throws Exception {
        // each test has a context (and counters) of its own, on the same database
        write("ecc38a217ccc/good.csv", rows("2025-01-06"));
        write("ecc38a217ccc/bad.csv", "not,a,meter,file\n");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(INBOX.resolve(".done/ecc38a217ccc/good.csv"))
                        && Files.exists(INBOX.resolve(".error/ecc38a217ccc/bad.csv")));
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(BASE + "/api/export/csv"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"smart_meter_id\":\"ecc38a217ccc\","
                        + "\"start_datetime\":\"2025-01-06T05:00:00Z\",\"end_datetime\":\"2025-01-06T05:01:59Z\"}")));
        assertEquals(200, created.statusCode(), created.body());

        Map<String, Double> m = await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(
                        MetricsRouteTest::scrape,
                        s -> s.getOrDefault("meterflow_export_jobs_finished_total{status=\"completed\"}", 0.0) == 1.0
                                && s.getOrDefault("meterflow_export_jobs{status=\"completed\"}", 0.0) == 1.0);
        assertEquals(1.0, m.get("meterflow_files_ingested_total"));
        assertEquals(1.0, m.get("meterflow_files_rejected_total"));
        assertEquals(120.0, m.get("meterflow_rows_stored_total"));
        assertEquals(240.0, m.get("meterflow_samples_stored_total"));
        assertEquals(1.0, m.get("meterflow_file_ingest_seconds_count{outcome=\"ingested\"}"));
        assertEquals(1.0, m.get("meterflow_file_ingest_seconds_count{outcome=\"rejected\"}"));
        assertEquals(1.0, m.get("meterflow_file_ingest_seconds_bucket{outcome=\"ingested\",le=\"+Inf\"}"));
        // the good file's rows were the writer's one write: one transaction of one write
        assertEquals(1.0, m.get("meterflow_write_commit_seconds_count"));
        assertEquals(1.0, m.get("meterflow_write_commit_writes_count"));
        assertEquals(1.0, m.get("meterflow_write_commit_writes_sum"));
        assertEquals(1.0, m.get("meterflow_export_job_seconds_count"));
        assertEquals(0.0, m.get("meterflow_export_queue_depth"));
        assertEquals(0.0, m.get("meterflow_mqtt_connected"), "no broker listens on the test's port");
        assertEquals(0.0, m.get("meterflow_mqtt_frames_received_total"));
        assertEquals(0.0, m.get("meterflow_source_polls_total{result=\"failed\",source=\"eniscope\"}"));
        // the latest sample is 2025-01-06T05:01:59Z: the lag is the time since then
        double lag = m.get("meterflow_ingest_lag_seconds{meter=\"ecc38a217ccc\"}");
        double expected = Instant.now().getEpochSecond()
                - Instant.parse("2025-01-06T05:01:59Z").getEpochSecond();
        assertTrue(Math.abs(lag - expected) < 120, lag + " vs " + expected);
        assertTrue(m.get("camel_exchanges_total{camelContext=\"meterflow\",eventType=\"route\","
                        + "kind=\"CamelRoute\",routeId=\"export-create-handler\"}")
                == 1.0);
        assertTrue(m.keySet().stream().anyMatch(k -> k.startsWith("jvm_memory_used_bytes")), "JVM binders");
        assertTrue(m.keySet().stream().noneMatch(k -> k.contains("endpointName")), "no endpoint URIs as labels");
    }

    @Test
    void the_alert_rules_and_the_dashboard_parse_and_use_only_scraped_metrics() throws Exception {
        write("ecc38a217ccc/earlier.csv", rows("2025-01-05"));
        Set<String> scraped = await().atMost(Duration.ofSeconds(20))
                .until(() -> names(scrape()), n -> n.stream().anyMatch(x -> x.equals("meterflow_ingest_lag_seconds")));
        List<String> expressions = new ArrayList<>();
        JsonNode rules =
                new YAMLMapper().readTree(Path.of("docs/prometheus-alerts.yml").toFile());
        for (JsonNode group : rules.get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                assertTrue(rule.hasNonNull("alert") && rule.hasNonNull("expr"), rule.toString());
                expressions.add(rule.get("expr").asText());
            }
        }
        assertTrue(expressions.size() >= 10, "alert rules: " + expressions.size());
        JsonNode dashboard =
                JSON.readTree(Path.of("docs/grafana-dashboard.json").toFile());
        assertEquals("Meterflow", dashboard.get("title").asText());
        int targets = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions.add(target.get("expr").asText());
                targets++;
            }
        }
        assertTrue(targets >= 15, "dashboard targets: " + targets);
        Pattern metric = Pattern.compile("\\b((?:meterflow|camel|jvm|process|system)_[a-z0-9_]+)");
        Set<String> missing = new TreeSet<>();
        Set<String> used = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = metric.matcher(expression);
            while (m.find()) {
                used.add(m.group(1));
                if (!scraped.contains(m.group(1))) {
                    missing.add(m.group(1));
                }
            }
        }
        assertEquals(Set.of(), missing, "metrics the rules and dashboard use but a scrape lacks");
        assertTrue(used.size() >= 15, used.toString());
    }
}
