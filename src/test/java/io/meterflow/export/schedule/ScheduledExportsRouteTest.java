package io.meterflow.export.schedule;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import io.meterflow.series.IsoTimes;
import io.meterflow.store.Sql;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A definition with a near cron fires through the real Quartz route and writes its CSV to the outbox. */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18084",
            "meterflow.inbox=target/it-sched/inbox",
            "meterflow.outbox=target/it-sched/outbox",
            "meterflow.db.url=jdbc:h2:./target/it-sched/db/meterflow",
            "meterflow.export.dir=target/it-sched/exports",
            "meterflow.exports-file=target/it-sched/exports.yaml"
        })
class ScheduledExportsRouteTest {

    static Instant PREVIOUS_HOUR;

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void definitions() throws Exception {
        Path root = Path.of("target/it-sched");
        TestFiles.deleteTree(root);
        // the window is the previous whole hour at each fire: keep clear of an hour change during the test
        Instant now = Instant.now();
        long toNextHour = 3600 - now.getEpochSecond() % 3600;
        if (toNextHour < 40) {
            Thread.sleep((toNextHour + 1) * 1000);
        }
        PREVIOUS_HOUR = Instant.now().truncatedTo(ChronoUnit.HOURS).minusSeconds(3600);
        Files.createDirectories(root.resolve("inbox/ecc38a217ccc"));
        // one reading a minute through the previous whole UTC hour: kw = minute
        StringBuilder csv = new StringBuilder("timestamp,kw\n");
        for (int m = 0; m < 60; m++) {
            csv.append(PREVIOUS_HOUR.plusSeconds(m * 60L)).append(',').append(m).append('\n');
        }
        // stored before the engine starts: its catch-up at start exports the window at once, and a
        // window is exported once, so its data must be there by then
        Path file = root.resolve("inbox/ecc38a217ccc/last-hour.csv");
        Files.writeString(file, csv);
        try (Engine earlier = TestEngines.start(
                root, new TestDatabases.Target("h2", "jdbc:h2:./" + root.resolve("db/meterflow"), "sa"))) {
            assertTrue(earlier.fileIngestor().ingestDropped(file.toFile()).ingested());
        }
        Files.writeString(
                root.resolve("exports.yaml"),
                """
                exports:
                  - name: every-two-seconds
                    cron: "0/2 * * * * ?"
                    timezone: UTC
                    meters: [ecc38a217ccc]
                    resolution: 15min
                    window: last-hours:1
                    filename: "{name}-{date}.csv"
                    destinations:
                      folder: "{name}/{yyyy}/"
                  - name: switched-off
                    enabled: false
                    cron: "0/1 * * * * ?"
                    meters: [ecc38a217ccc]
                    destinations:
                      folder: "off/"
                """);
    }

    @Test
    void a_near_cron_fires_the_route_and_the_csv_appears_in_the_outbox() throws Exception {
        String date = PREVIOUS_HOUR.toString().substring(0, 10);
        Path csv = Path.of("target/it-sched/outbox/every-two-seconds/" + date.substring(0, 4) + "/every-two-seconds-"
                + date + ".csv");
        String start = IsoTimes.format(PREVIOUS_HOUR, ZoneOffset.UTC);
        List<String> expected = List.of(
                "timestamp,kw",
                start + ",7.0",
                IsoTimes.format(PREVIOUS_HOUR.plusSeconds(900), ZoneOffset.UTC) + ",22.0",
                IsoTimes.format(PREVIOUS_HOUR.plusSeconds(1800), ZoneOffset.UTC) + ",37.0",
                IsoTimes.format(PREVIOUS_HOUR.plusSeconds(2700), ZoneOffset.UTC) + ",52.0");
        // the catch-up at start (or the first fire of the two-second cron) exports the window with its data
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(200))
                .alias("an export with the hour's data")
                .until(() -> Files.exists(csv) ? Files.readAllLines(csv) : List.of(), expected::equals);
        assertTrue(Files.exists(csv.resolveSibling(csv.getFileName() + ".json")));
        assertTrue(!Files.exists(Path.of("target/it-sched/outbox/off")), "a disabled definition never runs");

        JsonNode list = new ObjectMapper()
                .readTree(HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:18084/api/exports"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
        assertEquals("every-two-seconds", list.get("exports").get(0).get("name").asText());
        assertTrue(list.get("exports").get(0).get("next_fire_time").asText().endsWith("Z")
                || list.get("exports").get(0).get("next_fire_time").asText().endsWith("+00:00"));
        assertTrue(list.get("exports").get(1).get("next_fire_time").isNull());
        JsonNode runs = new ObjectMapper()
                .readTree(HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create("http://127.0.0.1:18084/api/exports/every-two-seconds/runs"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
        assertEquals(1, runs.get("runs").size(), "the window once: " + runs);
        // the cron goes on firing every two seconds (Quartz's clustered store records each fire), and
        // each fire skips the window done
        Engine engine = context.getRegistry().lookupByNameAndType("engine", Engine.class);
        String lastFire = "SELECT PREV_FIRE_TIME FROM QRTZ_TRIGGERS WHERE TRIGGER_GROUP = 'exports'"
                + " AND TRIGGER_NAME = 'every-two-seconds'";
        long fired = Sql.queryLong(engine.dataSource(), lastFire);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> Sql.queryLong(engine.dataSource(), lastFire) >= fired + 4_000);
        assertEquals(
                1,
                new ObjectMapper()
                        .readTree(HttpClient.newBuilder()
                                .version(HttpClient.Version.HTTP_1_1)
                                .build()
                                .send(
                                        HttpRequest.newBuilder(URI.create(
                                                        "http://127.0.0.1:18084/api/exports/every-two-seconds/runs"))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .body())
                        .get("runs")
                        .size());
        assertEquals(
                404,
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .build()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:18084/api/exports/nope/run"))
                                        .POST(HttpRequest.BodyPublishers.noBody())
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode());
    }
}
