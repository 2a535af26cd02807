package io.meterflow.api;

import static io.meterflow.api.ConsoleData.A;
import static io.meterflow.api.ConsoleData.B;
import static io.meterflow.api.ConsoleData.C;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestFiles;
import io.meterflow.app.Engine;
import io.meterflow.app.MeterflowApplication;
import io.meterflow.source.file.IngestedFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.BeanInject;
import org.apache.camel.CamelContext;
import org.apache.camel.test.main.junit5.CamelMainTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The endpoints the console reads (routes/api.camel.yaml), over real HTTP, on files with figures
 * known by hand ({@link ConsoleData}) that went through the real inbox: meters overview, coverage
 * grid, KPIs and bundle, the file ledger and re-queue, export jobs, scheduled runs with their
 * coverage and failure reason, the Niagara status.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@CamelMainTest(
        mainClass = MeterflowApplication.class,
        properties = {
            "camel.server.port=18500",
            "meterflow.inbox=target/it-console-api/inbox",
            "meterflow.db.url=jdbc:h2:./target/it-console-api/db/meterflow",
            "meterflow.export.dir=target/it-console-api/exports",
            "meterflow.outbox=target/it-console-api/outbox",
            "meterflow.exports-file=target/it-console-api/exports.yaml",
            "meterflow.meters-file=config/meters.yaml",
            "meterflow.ingest.poll-delay-ms=100"
        })
class ConsoleApiRouteTest {

    static final Path ROOT = Path.of("target/it-console-api");
    static final Path INBOX = ROOT.resolve("inbox");
    static final String BASE = "http://127.0.0.1:18500";
    static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final ObjectMapper JSON = new ObjectMapper();

    @BeanInject
    CamelContext context;

    @BeforeAll
    void data() throws Exception {
        TestFiles.deleteTree(ROOT);
        Files.createDirectories(ROOT.resolve("outbox"));
        ConsoleData.exportDefinitions(ROOT);
        ConsoleData.meterA(INBOX, LocalDate.of(2024, 12, 17), LocalDate.of(2024, 12, 21), false);
        ConsoleData.meterB(INBOX, LocalDate.of(2024, 12, 17), LocalDate.of(2024, 12, 21));
        ConsoleData.rejected(INBOX);
    }

    @BeforeEach
    void ingested() {
        await().atMost(Duration.ofSeconds(60))
                .alias("all files ingested or rejected")
                .until(() -> count(INBOX.resolve(".done")) >= 6
                        && Files.exists(INBOX.resolve(".error").resolve(C).resolve("fillet-broken.csv.reason"))
                                == (count(INBOX.resolve(".done")) == 6));
    }

    private static long count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(BASE + path))
                        .timeout(Duration.ofSeconds(30))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(URI.create(BASE + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode ok(HttpResponse<String> r) throws Exception {
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    static String code(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body()).path("error").path("code").asText();
    }

    @Test
    void the_meters_overview_lists_every_meter_with_extent_lag_and_coverage() throws Exception {
        JsonNode body = ok(get("/api/meters"));
        assertEquals(6, body.get("count").asInt());
        JsonNode a = null;
        for (JsonNode m : body.get("meters")) {
            if (m.get("id").asText().equals(A)) {
                a = m;
            }
        }
        assertNotNull(a);
        assertEquals("AN53111387-E-", a.get("serial").asText());
        assertEquals("Foster Farms Cherry Ave", a.get("site").asText());
        assertEquals(
                "[\"com_ap\",\"pf\",\"pos_ae\",\"neg_ae\"]",
                JSON.writeValueAsString(a.get("signals").findValuesAsText("signal")));
        assertEquals("counter", a.get("signals").get(2).get("kind").asText());
        assertEquals("2024-12-17T00:00:00-05:00", a.get("first_sample").asText());
        assertEquals("2024-12-21T23:59:00-05:00", a.get("last_sample").asText());
        // 5 days of minutes but the 3 missing hours, 4 signals
        assertEquals(4 * (5 * 1440 - 180), a.get("samples").asLong());
        assertEquals(97.5, a.get("coverage_percent").asDouble(), "117 of 120 hours");
        long expectedLag = Duration.between(
                        java.time.OffsetDateTime.parse("2024-12-21T23:59:00-05:00")
                                .toInstant(),
                        java.time.Instant.parse(body.get("now").asText()))
                .getSeconds();
        assertEquals(expectedLag, a.get("lag_seconds").asLong());
        JsonNode empty = null;
        for (JsonNode m : body.get("meters")) {
            if (m.get("id").asText().equals("ecc38a20c2b8")) {
                empty = m;
            }
        }
        assertTrue(empty.get("last_sample").isNull(), "a meter without data has no extent");
        assertTrue(empty.get("lag_seconds").isNull());
    }

    @Test
    void the_coverage_grid_shows_the_missing_hours_of_the_gap_day() throws Exception {
        JsonNode body = ok(get("/api/meters/" + A + "/coverage?start=2024-12-17&end=2024-12-21"));
        assertEquals(5, body.get("days").size());
        assertEquals(120, body.get("hours_in_range").asInt());
        assertEquals(117, body.get("hours_with_data").asInt());
        assertEquals(60, body.get("expected_samples_per_hour").asInt());
        JsonNode gap = body.get("days").get(3);
        assertEquals("2024-12-20", gap.get("date").asText());
        List<Long> hours = new ArrayList<>();
        gap.get("hours").forEach(h -> hours.add(h.asLong()));
        List<Long> expected = new ArrayList<>();
        for (int h = 0; h < 24; h++) {
            expected.add(h >= 3 && h < 6 ? 0L : 60L);
        }
        assertEquals(expected, hours);
        // without a range: the 30 days up to the latest sample's day
        JsonNode recent = ok(get("/api/meters/" + A + "/coverage"));
        assertEquals("2024-12-21", recent.get("end").asText());
        assertEquals("2024-11-22", recent.get("start").asText());
        assertEquals(117, recent.get("hours_with_data").asInt());
        // a day when clocks go forward has no 02:00
        JsonNode dst = ok(get("/api/meters/" + A + "/coverage?start=2024-03-10&end=2024-03-10"));
        assertTrue(dst.get("days").get(0).get("hours").get(2).isNull());
        assertEquals(0, dst.get("days").get(0).get("hours").get(3).asInt());
        assertEquals(23, dst.get("hours_in_range").asInt());
        assertEquals("INVALID_DATE", code(get("/api/meters/" + A + "/coverage?start=yesterday")));
        assertEquals("RANGE_TOO_LARGE", code(get("/api/meters/" + A + "/coverage?start=2023-01-01&end=2024-12-31")));
        assertEquals(404, get("/api/meters/ffffffffffff/coverage").statusCode());
    }

    @Test
    void kpis_give_a_days_energy_peak_and_load_factor() throws Exception {
        JsonNode day = ok(get("/api/meters/" + A + "/kpis?start=2024-12-18&end=2024-12-18T23:59:59"));
        assertEquals("2024-12-18T00:00:00-05:00", day.get("start").asText());
        assertEquals("2024-12-19T00:00:00-05:00", day.get("end").asText());
        assertEquals(360.0, day.get("import_kwh").asDouble());
        assertEquals(24.0, day.get("export_kwh").asDouble());
        assertEquals(95.5, day.get("peak_kw").asDouble());
        assertEquals("2024-12-18T14:37:00-05:00", day.get("peak_at").asText());
        assertEquals((20.0 * 1439 + 95.5) / 1440, day.get("mean_kw").asDouble(), 1e-9);
        assertEquals(0.21, day.get("load_factor").asDouble(), "20.0524 / 95.5, four decimals");
        assertEquals("pos_ae", day.get("signals").get("import").asText());
        assertEquals("com_ap", day.get("signals").get("power").asText());

        JsonNode days = ok(get("/api/meters/" + A + "/kpis?start=2024-12-18&end=2024-12-20T23:59:59"));
        JsonNode daily = days.get("daily");
        assertEquals(3, daily.size());
        assertEquals("2024-12-19", daily.get(1).get("date").asText());
        assertEquals(
                359.75, daily.get(1).get("import_kwh").asDouble(), "the reset day: counted from the lowest reading");
        assertEquals(360.0, daily.get(2).get("import_kwh").asDouble(), "the gap day: energy across the gap counted");
        assertEquals(24.0, daily.get(2).get("export_kwh").asDouble());
        assertEquals(80.0, daily.get(1).get("peak_kw").asDouble());
        assertEquals(1079.75, days.get("import_kwh").asDouble());
        assertEquals(72.0, days.get("export_kwh").asDouble());

        JsonNode b = ok(get("/api/meters/" + B + "/kpis?start=2024-12-18T00:00:00&end=2024-12-18T23:59:59"));
        assertEquals(144.0, b.get("import_kwh").asDouble());
        assertEquals(0.0, b.get("export_kwh").asDouble());
        assertEquals(1.0, b.get("load_factor").asDouble(), "flat load");

        JsonNode other = ok(get("/api/meters/" + A
                + "/kpis?start=2024-12-18&end=2024-12-18T23:59:59&import=neg_ae&export=pos_ae&power=pf"));
        assertEquals(24.0, other.get("import_kwh").asDouble());
        assertEquals(0.9, other.get("peak_kw").asDouble());

        assertEquals("MISSING_FIELD", code(get("/api/meters/" + A + "/kpis?start=2024-12-18")));
        assertEquals(
                "SIGNAL_NOT_FOUND", code(get("/api/meters/" + A + "/kpis?start=2024-12-18&end=2024-12-19&power=nope")));
        assertEquals(
                "NOT_A_COUNTER", code(get("/api/meters/" + A + "/kpis?start=2024-12-18&end=2024-12-19&import=pf")));
        assertEquals("RANGE_TOO_LARGE", code(get("/api/meters/" + A + "/kpis?start=2023-01-01&end=2024-12-19")));
    }

    @Test
    void a_bundle_holds_the_kpis_and_several_signals_in_one_answer() throws Exception {
        JsonNode body = ok(get("/api/meters/" + A
                + "/bundle?signals=com_ap,pf&start=2024-12-18T00:00:00&end=2024-12-18T23:59:59&max_points=100"));
        assertEquals(360.0, body.get("kpis").get("import_kwh").asDouble());
        JsonNode power = body.get("series").get("com_ap");
        assertEquals(1440, power.get("source_points").asInt());
        assertEquals(100, power.get("points").size());
        double max = 0;
        for (JsonNode p : power.get("points")) {
            max = Math.max(max, p.get(1).asDouble());
        }
        assertEquals(95.5, max, "the peak survives downsampling");
        assertEquals("gauge", body.get("series").get("pf").get("kind").asText());
        assertEquals(
                0.9, body.get("series").get("pf").get("points").get(0).get(1).asDouble());
        assertEquals(
                "SIGNAL_NOT_FOUND",
                code(get("/api/meters/" + A + "/bundle?signals=com_ap,nope&start=2024-12-18&end=2024-12-19")));
        assertEquals(
                "TOO_MANY_SIGNALS",
                code(get("/api/meters/" + A + "/bundle?signals=a,b,c,d,e,f,g,h,i&start=2024-12-18&end=2024-12-19")));
    }

    @Test
    void the_file_ledger_lists_a_rejection_with_its_reason_and_a_fixed_file_is_requeued() throws Exception {
        JsonNode rejected = ok(get("/api/files?status=rejected"));
        assertEquals(1, rejected.get("count").asInt());
        JsonNode broken = rejected.get("files").get(0);
        assertEquals(C + "/fillet-broken.csv", broken.get("path").asText());
        assertEquals("no data rows after the header", broken.get("reason").asText());
        assertTrue(broken.get("in_error_folder").asBoolean());
        JsonNode ingested = ok(get("/api/files?status=ingested&limit=50"));
        assertEquals(6, ingested.get("count").asInt());
        JsonNode all = ok(get("/api/files?limit=3"));
        assertEquals(3, all.get("count").asInt());
        JsonNode dayFile = null;
        for (JsonNode f : ingested.get("files")) {
            if (f.get("path").asText().equals(A + "/chiller-2024-12-20.csv")) {
                dayFile = f;
            }
        }
        assertEquals(1440 - 180, dayFile.get("rows").asLong());
        assertEquals("2024-12-20T00:00:00-05:00", dayFile.get("first_sample").asText());

        assertEquals("NOT_REJECTED", code(post("/api/files/" + dayFile.get("id").asLong() + "/requeue", "")));
        assertEquals("INVALID_FILE_ID", code(post("/api/files/abc/requeue", "")));
        assertEquals("FILE_NOT_FOUND", code(post("/api/files/999999/requeue", "")));
        assertEquals("INVALID_STATUS", code(get("/api/files?status=lost")));
        assertEquals("INVALID_LIMIT", code(get("/api/files?limit=0")));

        // a ledger row naming a path outside .error is never followed
        Engine engine = context.getRegistry().lookupByNameAndType("engine", Engine.class);
        new IngestedFiles(engine.dataSource()).record(IngestedFiles.Entry.rejected(C, "../../pom.xml", 1, "crafted"));
        JsonNode crafted = ok(get("/api/files?status=rejected")).get("files").get(0);
        assertEquals("../../pom.xml", crafted.get("path").asText());
        assertFalse(crafted.get("in_error_folder").asBoolean());
        HttpResponse<String> refused = post("/api/files/" + crafted.get("id").asLong() + "/requeue", "");
        assertEquals(404, refused.statusCode());
        assertEquals("FILE_GONE", code(refused));
        assertTrue(Files.exists(Path.of("pom.xml")));

        // fix the file where it lies, then re-queue it: it is read again and stored
        Path inError = INBOX.resolve(".error").resolve(C).resolve("fillet-broken.csv");
        Files.writeString(inError, ConsoleData.HEADER + "2024-12-22T00:00:00-05:00,20.0,0.9,9999.0,600.0\n");
        JsonNode requeued = ok(post("/api/files/" + broken.get("id").asLong() + "/requeue", ""));
        assertEquals("requeued", requeued.get("status").asText());
        assertFalse(Files.exists(inError.resolveSibling("fillet-broken.csv.reason")));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.exists(INBOX.resolve(".done").resolve(C).resolve("fillet-broken.csv")));
        assertEquals(
                "2024-12-22T00:00:00-05:00",
                ok(get("/meter_info/" + C)).get("latest_datetime").asText());
        assertEquals("FILE_GONE", code(post("/api/files/" + broken.get("id").asLong() + "/requeue", "")));
    }

    @Test
    void recent_export_jobs_are_listed_newest_first_with_their_file() throws Exception {
        String request = "{\"smart_meter_id\":\"" + A + "\",\"start_datetime\":\"2024-12-18T00:00:00\","
                + "\"end_datetime\":\"2024-12-18T23:59:59\",\"resolution\":\"1hr\"}";
        String first = ok(post("/api/export/csv", request)).get("job_id").asText();
        String second = ok(post("/api/export/csv", request.replace("1hr", "15min")))
                .get("job_id")
                .asText();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> ok(get("/api/export/status/" + second))
                                .get("status")
                                .asText()
                                .equals("completed")
                        && ok(get("/api/export/status/" + first))
                                .get("status")
                                .asText()
                                .equals("completed"));
        JsonNode jobs = ok(get("/api/export/jobs?limit=2")).get("jobs");
        assertEquals(2, jobs.size());
        assertEquals(second, jobs.get(0).get("job_id").asText());
        assertEquals(first, jobs.get(1).get("job_id").asText());
        assertEquals("completed", jobs.get(1).get("status").asText());
        assertEquals(100, jobs.get(1).get("progress").asInt());
        assertEquals(24, jobs.get(1).get("record_count").asLong());
        assertEquals(
                "AN53111387-E-1hrRES_24CLP_241218.0000-241218.2359.csv",
                jobs.get(1).get("filename").asText());
        assertEquals(
                "/api/export/download/" + first, jobs.get(1).get("download_url").asText());
        assertEquals("15min", jobs.get(0).get("request").get("resolution").asText());
        assertEquals(A, jobs.get(0).get("request").get("smart_meter_id").asText());
        assertEquals("INVALID_LIMIT", code(get("/api/export/jobs?limit=x")));
    }

    @Test
    void scheduled_runs_carry_their_coverage_and_a_failed_run_its_reason() throws Exception {
        JsonNode run = ok(post("/api/exports/chiller-daily/run?date=2024-12-20", ""))
                .get("runs")
                .get(0);
        assertEquals("completed", run.get("status").asText());
        assertEquals(24, run.get("rows").asInt());
        // the gap day: 3 of its 24 hours without data
        assertEquals("2024-12-20T00:00:00-05:00", run.get("window").get("start").asText());
        assertEquals(87.5, run.get("coverage_percent").asDouble());
        JsonNode backfill = ok(post("/api/exports/chiller-daily/run?start=2024-12-18&end=2024-12-20", ""));
        assertEquals(3, backfill.get("runs").size());
        assertEquals("backfill", backfill.get("runs").get(0).get("trigger").asText());
        JsonNode runs = ok(get("/api/exports/chiller-daily/runs")).get("runs");
        assertEquals(3, runs.size(), "one row per window: the re-run replaced the first");
        assertEquals(87.5, runs.get(0).get("coverage_percent").asDouble(), "newest window first");
        assertEquals(100.0, runs.get(1).get("coverage_percent").asDouble());

        JsonNode failed = ok(post("/api/exports/chiller-blocked/run?date=2024-12-21", ""))
                .get("runs")
                .get(0);
        assertEquals("failed", failed.get("status").asText());
        assertTrue(failed.get("error").asText().contains("blocked"), failed.toString());
        JsonNode listed =
                ok(get("/api/exports/chiller-blocked/runs")).get("runs").get(0);
        assertEquals(failed.get("error").asText(), listed.get("error").asText());
    }

    @Test
    void the_niagara_status_says_what_is_on() throws Exception {
        JsonNode body = ok(get("/api/sources/niagara"));
        assertFalse(body.get("mqtt").get("enabled").asBoolean());
        assertEquals(0, body.get("mqtt").get("counters").get("messages").asLong());
        assertFalse(body.get("http").get("enabled").asBoolean());
        assertEquals(0, body.get("http").get("stations").size());
        assertFalse(ok(get("/api/sources/eniscope")).get("enabled").asBoolean());
    }
}
