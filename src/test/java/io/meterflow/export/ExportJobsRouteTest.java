package io.meterflow.export;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import io.meterflow.settings.Setting;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * routes/export-jobs.camel.yaml: the recovery route queues again a job a dead engine left running,
 * and the cleanup timer expires a job past its retention; both seen over real HTTP.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18091",
            "meterflow.inbox=target/it-export-jobs/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-export-jobs/db/meterflow",
            "meterflow.export.dir=target/it-export-jobs/exports",
            "meterflow.export.cleanup-period-ms=300"
        })
class ExportJobsRouteTest {

    static final Path ROOT = Path.of("target/it-export-jobs");
    static final String BASE = "http://127.0.0.1:18091";
    static final String INTERRUPTED = "0b8e7f10-0000-4000-8000-00000000000a";
    static final String EXPIRING = "0b8e7f10-0000-4000-8000-00000000000b";
    static Path expiringFile;

    /** An earlier run of the engine on the same database: a day of data, one job cut off mid-run, one finished long ago. */
    @BeforeAll
    static void earlierRun() throws Exception {
        TestFiles.deleteTree(ROOT);
        TestDatabases.Target db = new TestDatabases.Target("h2", "jdbc:h2:./" + ROOT.resolve("db/meterflow"), "sa");
        try (Engine engine = TestEngines.start(
                ROOT,
                db,
                Map.of(Setting.EXPORT_DIR.key(), ROOT.resolve("exports").toString()))) {
            Path csv = ROOT.resolve("inbox/ecc38a217ccc/day.csv");
            Files.createDirectories(csv.getParent());
            StringBuilder sb = new StringBuilder("timestamp,kw\n");
            for (int m = 0; m < 24 * 60; m++) {
                sb.append(Instant.parse("2025-01-06T05:00:00Z").plusSeconds(m * 60L))
                        .append(',')
                        .append(m / 60)
                        .append('\n');
            }
            Files.writeString(csv, sb);
            assertTrue(engine.fileIngestor().ingestDropped(csv.toFile()).ingested());
            JobRows.running(
                    engine.dataSource(),
                    INTERRUPTED,
                    "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-06T00:00:00\","
                            + "\"end_datetime\":\"2025-01-06T23:59:59\",\"resolution\":\"1hr\"}",
                    JobRows.DEAD_ENGINE);
            expiringFile = ROOT.resolve("exports/" + EXPIRING + "/old.csv");
            Files.createDirectories(expiringFile.getParent());
            Files.writeString(expiringFile, "timestamp,kw\n");
            JobRows.completed(
                    engine.dataSource(),
                    EXPIRING,
                    "old.csv",
                    expiringFile.toString(),
                    Instant.now().minusSeconds(60));
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .build()
                .send(HttpRequest.newBuilder(URI.create(BASE + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String status(String id) throws Exception {
        return new ObjectMapper()
                .readTree(get("/api/export/status/" + id).body())
                .get("status")
                .asText();
    }

    @Test
    void an_interrupted_job_is_run_again_at_start_and_an_expired_file_is_swept() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> status(INTERRUPTED).equals("completed"));
        JsonNode job = new ObjectMapper()
                .readTree(get("/api/export/status/" + INTERRUPTED).body());
        assertEquals(24, job.get("file_info").get("record_count").asInt());
        HttpResponse<String> csv = get("/api/export/download/" + INTERRUPTED);
        assertEquals(200, csv.statusCode());
        List<String> lines = csv.body().lines().toList();
        assertEquals(25, lines.size());
        assertEquals("2025-01-06T05:00:00-05:00,5.0", lines.get(6), "hour 5 holds kw = 5 every minute");

        await().atMost(Duration.ofSeconds(10)).until(() -> status(EXPIRING).equals("expired"));
        assertFalse(Files.exists(expiringFile));
        assertEquals(410, get("/api/export/download/" + EXPIRING).statusCode());
    }
}
