package io.meterflow.source.niagara.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.SelfSignedCertificate;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.Sample;
import io.meterflow.store.DeadLetters;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Niagara HTTP polling against a station simulator (oBIX with paging, a CSV export, Basic auth) over real HTTP. */
class NiagaraHttpPollerTest {

    static final Instant START = StationSimulator.START;

    @TempDir
    Path dir;

    private Engine engine;
    private StationSimulator station;
    private StationSimulator tlsStation;

    @BeforeEach
    void start() throws Exception {
        engine = TestEngines.start(dir, TestDatabases.h2());
        station = StationSimulator.http();
    }

    @AfterEach
    void stop() {
        station.close();
        if (tlsStation != null) {
            tlsStation.close();
        }
        engine.close();
    }

    private NiagaraHttpPoller poller(Instant now, String password) {
        return poller(now, station.url(), password, false, 30);
    }

    private NiagaraHttpPoller poller(
            Instant now, String baseUrl, String password, boolean insecureTls, int timeoutSeconds) {
        NiagaraStation s = new NiagaraStation(
                "AmsShop",
                "0 0/15 * * * ?",
                ZoneId.of("America/Denver"),
                new NiagaraStation.Connection(
                        baseUrl, "obix", password, insecureTls, Duration.ofSeconds(timeoutSeconds)),
                30,
                List.of(
                        new NiagaraStation.PolledHistory("Main$20kW", null),
                        new NiagaraStation.PolledHistory(
                                "Zone$20Temp", "/file/AmsShop/historyExports/Zone$20Temp.csv")));
        return new NiagaraHttpPoller(
                List.of(s),
                engine.niagaraHistories(),
                watermarks(),
                deadLetters(),
                Clock.fixed(now, ZoneOffset.UTC),
                Metrics.NONE);
    }

    private NiagaraHttpWatermarks watermarks() {
        return new NiagaraHttpWatermarks(engine.store().dataSource());
    }

    private DeadLetters deadLetters() {
        return engine.deadLetters();
    }

    private List<Sample> samples(String signal) throws Exception {
        try (Connection c = engine.store().dataSource().getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT id FROM series WHERE meter_id = 'AmsShop' AND signal = ?")) {
            ps.setString(1, signal);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? engine.store().samples(rs.getLong(1), 0, Long.MAX_VALUE) : List.of();
            }
        }
    }

    @Test
    void obix_is_paged_from_the_watermark_and_csv_exports_add_only_new_records() throws Exception {
        Instant now = START.plusSeconds(10 * 86_400);
        Map<String, Object> summary = poller(now, "secret").pollAll();
        assertTrue(summary.toString().contains("failed=[]"), summary.toString());
        List<Sample> kw = samples("Main$20kW");
        assertEquals(2500, kw.size());
        assertEquals(3, station.obixCalls.get(), "pages of 1000, 1000 and 500");
        assertEquals(new Sample(START.toEpochMilli(), 0), kw.get(0));
        assertEquals(2499.0, kw.get(2499).value());
        List<Sample> temp = samples("Zone$20Temp");
        assertEquals(
                List.of(
                        new Sample(Instant.parse("2025-11-22T08:00:00Z").toEpochMilli(), 70.5),
                        new Sample(Instant.parse("2025-11-22T08:05:00Z").toEpochMilli(), -1.25)),
                temp);

        station.records = 2510;
        station.csv = station.csv + "22-Nov-25 1:10:00 AM MST,71.00\n";
        poller(now, "secret").pollAll();
        assertEquals(2510, samples("Main$20kW").size());
        assertEquals(4, station.obixCalls.get(), "one more page from the watermark");
        assertEquals(3, samples("Zone$20Temp").size());
        assertEquals(
                Instant.parse("2025-11-22T08:10:00Z").toEpochMilli(),
                watermarks().get("AmsShop", "Zone$20Temp"));
    }

    @Test
    void a_rejected_login_skips_the_histories_and_keeps_the_watermarks() throws Exception {
        Map<String, Object> summary = poller(START.plusSeconds(86_400), "wrong").pollAll();
        assertTrue(
                summary.toString().contains("Main$20kW") && summary.toString().contains("Zone$20Temp"),
                summary.toString());
        assertEquals(0, samples("Main$20kW").size());
        assertEquals(null, watermarks().get("AmsShop", "Main$20kW"));
    }

    @Test
    void a_self_signed_station_is_read_only_when_insecure_tls_is_set() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.create(dir.resolve("tls"), "jace.example");
        tlsStation = StationSimulator.https(cert.serverContext());
        String url = tlsStation.url();
        Instant now = START.plusSeconds(10 * 86_400);

        Map<String, Object> refused = poller(now, url, "secret", false, 30).pollAll();
        assertEquals(List.of("Main$20kW", "Zone$20Temp"), ((Map<?, ?>) refused.get("AmsShop")).get("failed"));
        assertEquals(
                0, tlsStation.obixCalls.get(), "without insecure_tls the certificate is refused before any request");
        assertEquals(0, samples("Main$20kW").size());

        // the certificate names jace.example, not 127.0.0.1: accepted all the same
        Map<String, Object> accepted = poller(now, url, "secret", true, 30).pollAll();
        assertTrue(accepted.toString().contains("failed=[]"), accepted.toString());
        assertEquals(2500, samples("Main$20kW").size());
        assertEquals(2, samples("Zone$20Temp").size());
    }

    @Test
    void a_history_that_does_not_answer_in_time_is_skipped_and_the_next_one_is_still_polled() throws Exception {
        station.obixDelayMillis = 3_000;
        long t = System.nanoTime();
        Map<String, Object> summary = poller(START.plusSeconds(10 * 86_400), station.url(), "secret", false, 1)
                .pollAll();
        long tookMillis = (System.nanoTime() - t) / 1_000_000;
        assertTrue(summary.toString().contains("failed=[Main$20kW]"), summary.toString());
        assertTrue(
                tookMillis < 2_900,
                "the request was given up after its 1 s time-out, not waited out: " + tookMillis + " ms");
        assertEquals(0, samples("Main$20kW").size());
        assertEquals(null, watermarks().get("AmsShop", "Main$20kW"));
        assertEquals(2, samples("Zone$20Temp").size(), "the CSV history is polled after the one that timed out");

        station.obixDelayMillis = 0;
        poller(START.plusSeconds(10 * 86_400), "secret").pollAll();
        assertEquals(2500, samples("Main$20kW").size(), "the next run catches up");
    }

    @Test
    void bad_bodies_are_dead_lettered_and_keep_the_stored_data_and_the_watermarks() throws Exception {
        Instant now = START.plusSeconds(10 * 86_400);
        poller(now, "secret").pollAll();
        long obixMark = watermarks().get("AmsShop", "Main$20kW");
        long csvMark = watermarks().get("AmsShop", "Zone$20Temp");

        station.records = 2600;
        // not oBIX, not CSV, and not a login page (that is a refused login: NiagaraSessionLoginTest)
        station.obixBody = "<html><body>Station under maintenance</body></html>";
        station.csv = "<html><body>Station under maintenance</body></html>";
        Map<String, Object> summary = poller(now, "secret").pollAll();
        assertTrue(summary.toString().contains("failed=[Main$20kW, Zone$20Temp]"), summary.toString());
        assertEquals(2500, samples("Main$20kW").size());
        assertEquals(2, samples("Zone$20Temp").size());
        assertEquals(obixMark, watermarks().get("AmsShop", "Main$20kW"));
        assertEquals(csvMark, watermarks().get("AmsShop", "Zone$20Temp"));
        List<DeadLetters.Letter> letters = deadLetters().latest(10);
        assertEquals(2, letters.size());
        assertEquals(
                List.of("niagara-csv", "niagara-obix"),
                letters.stream().map(DeadLetters.Letter::source).sorted().toList());
        assertTrue(
                letters.stream()
                        .allMatch(l -> l.payload().contains("under maintenance")
                                && !l.reason().isBlank()),
                letters.toString());

        station.obixBody = null;
        station.csv = station.csv.replace(
                "<html><body>Station under maintenance</body></html>",
                "Timestamp,Value\n22-Nov-25 1:10:00 AM MST,71.00\n");
        poller(now, "secret").pollAll();
        assertEquals(2600, samples("Main$20kW").size(), "the next good answer continues from the kept watermark");
        assertEquals(3, samples("Zone$20Temp").size());
    }

    @Test
    void a_busy_or_failing_station_is_skipped_for_the_run_and_the_next_run_catches_up() throws Exception {
        Instant now = START.plusSeconds(10 * 86_400);
        for (int status : new int[] {503, 429}) {
            station.obixStatus = status;
            Map<String, Object> summary = poller(now, "secret").pollAll();
            assertTrue(summary.toString().contains("failed=[Main$20kW]"), status + ": " + summary);
            assertEquals(0, samples("Main$20kW").size());
            assertEquals(null, watermarks().get("AmsShop", "Main$20kW"));
        }
        assertEquals(2, samples("Zone$20Temp").size(), "the CSV history is polled all the same");
        station.obixStatus = 200;
        poller(now, "secret").pollAll();
        assertEquals(2500, samples("Main$20kW").size());
    }
}
