package io.meterflow.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * routes/store.camel.yaml: with a raw retention of 30 days the route moves the boundary of the raw
 * samples to the start of the month 30 days back soon after start; rows older than it are then
 * skipped, and a 1sec export of such a range is refused over HTTP.
 */
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18097",
            "meterflow.inbox=target/it-store/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-store/db/meterflow",
            "meterflow.export.dir=target/it-store/exports",
            "meterflow.store.raw-retention-days=30"
        })
class StoreRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeanInject
    CamelContext context;

    @BeforeAll
    static void clean() throws Exception {
        TestFiles.deleteTree(Path.of("target/it-store"));
    }

    @Test
    void the_route_applies_the_raw_retention_and_old_raw_data_is_refused() throws Exception {
        Engine engine = context.getRegistry().lookupByNameAndType("engine", Engine.class);
        long expected = LocalDate.now(ZoneOffset.UTC)
                .minusDays(30)
                .withDayOfMonth(1)
                .atStartOfDay(ZoneOffset.UTC)
                .toEpochSecond();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Sql.queryLong(
                                engine.dataSource(), "SELECT amount FROM store_state WHERE name = 'raw_retained_from'")
                        == expected);

        Path old = Path.of("target/it-store/inbox/ecc38a217ccc/old.csv");
        Files.createDirectories(old.getParent());
        Files.writeString(old, "timestamp,kw\n2025-01-06T00:00:00Z,1\n2025-01-06T00:00:01Z,2\n");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(Path.of("target/it-store/inbox/.done/ecc38a217ccc/old.csv")));
        JsonNode info = JSON.readTree(HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:18097/meter_info/ecc38a217ccc"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body());
        assertEquals(0, info.get("sample_count").asLong(), "the rows older than the retention were skipped");

        HttpResponse<String> expired = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:18097/generate_csv"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"mac_address\":\"ecc38a217ccc\","
                                + "\"start_datetime\":\"2025-01-06T00:00:00\",\"end_datetime\":\"2025-01-06T00:10:00\","
                                + "\"resolution\":\"1sec\",\"aggregation\":\"mean\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, expired.statusCode(), expired.body());
        assertEquals(
                "RAW_DATA_EXPIRED",
                JSON.readTree(expired.body()).get("error").get("code").asText());
        assertEquals(
                Instant.ofEpochSecond(expected).toEpochMilli(), engine.store().rawRetainedFromMillis());
    }

    @Test
    void the_route_folds_the_pending_rows_of_closed_hours_into_their_blocks() throws Exception {
        Engine engine = context.getRegistry().lookupByNameAndType("engine", Engine.class);
        Instant hour = Instant.now().minus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        Path f = Path.of("target/it-store/inbox/fold0000001/first.csv");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "timestamp,kw\n" + hour + ",1\n");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(Path.of("target/it-store/inbox/.done/fold0000001/first.csv")));
        long kw = engine.catalog().list("fold0000001").get(0).id();
        // frames written while that hour was open: kept as pending rows beside its block
        SampleStore then =
                new SampleStore(engine.dataSource(), java.time.Clock.fixed(hour.plusSeconds(60), ZoneOffset.UTC));
        long h = hour.getEpochSecond();
        for (int frame = 1; frame <= 3; frame++) {
            long[] millis = {(h + frame) * 1000};
            double[] values = {frame + 1};
            try (WriteSession s = then.openSession()) {
                s.write(java.util.List.of(EncodedBlock.encode(kw, h, millis, values, 1)));
                s.commit();
            }
        }
        String pending = "SELECT COUNT(*) FROM sample_delta WHERE series_id = " + kw;
        assertEquals(3, Sql.queryLong(engine.dataSource(), pending));
        await().atMost(Duration.ofSeconds(90)).until(() -> Sql.queryLong(engine.dataSource(), pending) == 0);
        assertEquals(
                4,
                Sql.queryLong(
                        engine.dataSource(),
                        "SELECT sample_count FROM sample_block WHERE series_id = ? AND hour_start = ?",
                        kw,
                        h),
                "the block holds the file's value and the three frames'");
        assertEquals(4, engine.meterStats().summary("fold0000001").samples());
    }
}
