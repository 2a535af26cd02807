package io.meterflow.source.eniscope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.ingest.SampleWriter;
import io.meterflow.ingest.SeriesRegistrar;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.Meter;
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
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Eniscope poller against the simulator over real HTTP, storing into a real H2 database. */
class EniscopePollerTest {

    static final Instant NOW = Instant.parse("2025-07-03T00:00:00Z");

    @TempDir
    Path dir;

    private Engine engine;
    private EniscopeSimulator sim;

    @BeforeEach
    void start() throws Exception {
        engine = TestEngines.start(dir, TestDatabases.h2());
        sim = new EniscopeSimulator();
    }

    @AfterEach
    void stop() {
        sim.close();
        engine.close();
    }

    private EniscopePoller poller(Instant now, List<String> channels, int resolution) {
        return poller(Clock.fixed(now, ZoneOffset.UTC), channels, resolution);
    }

    private EniscopePoller poller(Clock clock, List<String> channels, int resolution) {
        return poller(clock, null, channels, resolution, 30);
    }

    private EniscopePoller poller(
            Clock clock, String organization, List<String> channels, int resolution, int timeoutSeconds) {
        EniscopeAccount account = new EniscopeAccount(
                "main",
                "0 5 * * * ?",
                new EniscopeAccount.Login(
                        sim.url(),
                        EniscopeSimulator.KEY,
                        EniscopeSimulator.EMAIL,
                        EniscopeSimulator.PASSWORD,
                        Duration.ofSeconds(timeoutSeconds)),
                new EniscopeAccount.Scope(organization, channels),
                new EniscopeAccount.Readings(List.of("E", "P", "V"), resolution, 2, 24));
        DataSource ds = engine.dataSource();
        return new EniscopePoller(
                List.of(account),
                engine.registry(),
                new SampleWriter(
                        engine.registry(), engine.catalog(), engine.store(), 3, engine.availability(), Metrics.NONE),
                new EniscopeChannels(ds),
                new EniscopeReferences(ds),
                engine.deadLetters(),
                clock,
                3,
                10,
                new SeriesRegistrar(engine.registry(), engine.catalog()),
                Metrics.NONE);
    }

    private EniscopeReferences references() {
        return new EniscopeReferences(engine.store().dataSource());
    }

    private List<Sample> samples(String meter, String signal) throws Exception {
        try (Connection c = engine.store().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id FROM series WHERE meter_id = ? AND signal = ?")) {
            ps.setString(1, meter);
            ps.setString(2, signal);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return List.of();
                }
                return engine.store().samples(rs.getLong(1), 0, Long.MAX_VALUE);
            }
        }
    }

    private long watermark(String channel) {
        Long w = new EniscopeChannels(engine.store().dataSource()).watermark("main", channel);
        return w == null ? -1 : w;
    }

    @Test
    void discovery_pages_through_channels_and_the_first_run_backfills_in_windows_with_units_made_explicit()
            throws Exception {
        Map<String, Object> summary = poller(NOW, List.of(), 900).pollAll();
        assertEquals(4L, new EniscopeChannels(engine.store().dataSource()).count(), "4 channels over 2 pages");
        List<Sample> energy = samples("eniscope-59155", "E_interval_kwh");
        assertEquals(2 * 96, energy.size(), "two days of 15-minute intervals");
        long first = NOW.getEpochSecond() - 2 * 86_400;
        assertEquals(first * 1000, energy.get(0).epochMillis());
        assertEquals(
                EniscopeSimulator.power(first) * 900 / 3600 / 1000,
                energy.get(0).value(),
                1e-12);
        assertEquals(
                EniscopeSimulator.power(first) / 1000,
                samples("eniscope-59155", "P_kw").get(0).value(),
                1e-12);
        assertEquals(230.0, samples("eniscope-59155", "V_v").get(0).value());
        assertEquals(NOW.getEpochSecond(), watermark("59155"));
        assertEquals(8, sim.readingsCalls.get(), "2 daily windows x 4 channels");
        assertEquals(1, sim.basicLogins.get(), "one login, then the session token");
        assertTrue(summary.toString().contains("failed=[]"), summary.toString());
    }

    @Test
    void later_runs_are_incremental_from_the_watermark_and_never_duplicate() throws Exception {
        poller(NOW, List.of("59155"), 900).pollAll();
        poller(NOW, List.of("59155"), 900).pollAll();
        assertEquals(192, samples("eniscope-59155", "E_interval_kwh").size());
        int calls = sim.readingsCalls.get();
        poller(NOW.plusSeconds(3600), List.of("59155"), 900).pollAll();
        assertEquals(calls + 1, sim.readingsCalls.get(), "only the new hour is asked for");
        assertEquals(196, samples("eniscope-59155", "E_interval_kwh").size());
        assertEquals(NOW.getEpochSecond() + 3600, watermark("59155"));
    }

    @Test
    void the_session_token_is_reused_across_runs_and_an_expired_one_logs_in_again_once() throws Exception {
        Instant[] now = {NOW};
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now[0];
            }
        };
        EniscopePoller poller = poller(clock, List.of("59155"), 900);
        poller.pollAll();
        now[0] = NOW.plusSeconds(3600);
        poller.pollAll();
        assertEquals(1, sim.basicLogins.get(), "the second run reuses the session token");
        sim.expireTokens = true;
        now[0] = NOW.plusSeconds(7200);
        poller.pollAll();
        assertEquals(200, samples("eniscope-59155", "E_interval_kwh").size());
        assertEquals(2, sim.basicLogins.get(), "after the 419 it logs in once more");
    }

    @Test
    void rate_limits_are_retried_and_a_failing_channel_never_stops_the_others() throws Exception {
        sim.faults.put("59155", "429x2");
        sim.faults.put("59156", "500");
        Map<String, Object> summary = poller(NOW, List.of(), 900).pollAll();
        assertEquals(192, samples("eniscope-59155", "E_interval_kwh").size(), "retried through two 429s");
        assertEquals(0, samples("eniscope-59156", "E_interval_kwh").size());
        assertEquals(-1, watermark("59156"), "the watermark of the failed channel does not move");
        assertEquals(192, samples("eniscope-59157", "E_interval_kwh").size(), "the next channel is polled");
        assertTrue(summary.toString().contains("failed=[59156]"), summary.toString());
    }

    @Test
    void a_bad_body_is_dead_lettered_and_the_watermark_stays() throws Exception {
        sim.faults.put("59157", "bad");
        poller(NOW, List.of("59157"), 900).pollAll();
        assertEquals(-1, watermark("59157"));
        DeadLetters letters = engine.deadLetters();
        assertEquals(1, letters.count());
        assertEquals("no records array", letters.latest(1).get(0).reason());
    }

    @Test
    void the_resolution_is_read_from_the_response_when_the_server_coarsens_it() throws Exception {
        poller(NOW, List.of("59155"), 60).pollAll();
        List<Sample> energy = samples("eniscope-59155", "E_interval_kwh");
        assertEquals(2 * 96, energy.size(), "900-second records although 60 was asked for");
        assertEquals(900_000, energy.get(1).epochMillis() - energy.get(0).epochMillis());
    }

    @Test
    void discovery_keeps_organizations_and_devices_and_names_each_meter_after_its_channel() throws Exception {
        Map<String, Object> summary = poller(NOW, List.of(), 900).pollAll();
        assertTrue(summary.toString().contains("organizations=3, devices=2"), summary.toString());
        assertEquals(
                List.of(
                        new EniscopeReferences.Organization("17158", "Best Retail", null, "America/Mexico_City"),
                        new EniscopeReferences.Organization("17159", "Store 12", "17158", null),
                        new EniscopeReferences.Organization("17160", "Other Co", null, "Europe/Madrid")),
                references().organizations("main"));
        List<EniscopeReferences.Device> devices = references().devices("main");
        assertEquals(
                new EniscopeReferences.Device(
                        "41281",
                        "Eniscope 41281",
                        "0600007777B80000",
                        "20",
                        "Eniscope Hybrid 8",
                        "17159",
                        "America/Mexico_City",
                        "1",
                        1568836205L,
                        1600458605L),
                devices.get(0));
        assertEquals("41282", devices.get(1).id(), "a numeric id is read like a string one");
        List<EniscopeChannels.Channel> channels =
                new EniscopeChannels(engine.store().dataSource()).list("main");
        assertEquals(
                List.of("59155", "59156", "59157", "59158"),
                channels.stream().map(EniscopeChannels.Channel::id).toList());
        assertEquals("41281", channels.get(0).deviceId());
        assertEquals(NOW.getEpochSecond(), channels.get(0).watermark());

        Meter meter = engine.registry().find("eniscope-59155");
        assertEquals("Channel 59155", meter.description());
        assertEquals("Store 12", meter.site());
        assertEquals(ZoneId.of("America/Mexico_City"), meter.zone(), "the device's timezone");
        assertEquals(
                ZoneId.of("Europe/Madrid"),
                engine.registry().find("eniscope-59158").zone());
    }

    @Test
    void a_configured_organization_limits_discovery_to_it_and_the_organizations_below_it() throws Exception {
        Map<String, Object> summary = poller(Clock.fixed(NOW, ZoneOffset.UTC), "17158", List.of(), 900, 30)
                .pollAll();
        assertTrue(summary.toString().contains("channels=3"), summary.toString());
        assertEquals(
                List.of("17158", "17159"),
                references().organizations("main").stream()
                        .map(EniscopeReferences.Organization::id)
                        .toList());
        assertEquals(
                List.of("41281"),
                references().devices("main").stream()
                        .map(EniscopeReferences.Device::id)
                        .toList());
        assertEquals(null, engine.registry().find("eniscope-59158"), "the other customer's channel is not polled");
        assertEquals(192, samples("eniscope-59157", "E_interval_kwh").size());
    }

    @Test
    void a_channel_that_does_not_answer_in_time_is_retried_then_skipped_while_the_others_are_polled() throws Exception {
        sim.faults.put("59156", "slow");
        long t = System.nanoTime();
        Map<String, Object> summary = poller(
                        Clock.fixed(NOW, ZoneOffset.UTC), null, List.of("59155", "59156", "59157"), 900, 1)
                .pollAll();
        long tookMillis = (System.nanoTime() - t) / 1_000_000;
        assertTrue(summary.toString().contains("failed=[59156]"), summary.toString());
        assertTrue(tookMillis < 5_000, "3 attempts of 1 s, not 3 waits of 2 s: " + tookMillis + " ms");
        assertEquals(-1, watermark("59156"));
        assertTrue(new EniscopeChannels(engine.store().dataSource())
                .list("main")
                .get(1)
                .lastError()
                .contains("3 attempts"));
        assertEquals(192, samples("eniscope-59155", "E_interval_kwh").size());
        assertEquals(192, samples("eniscope-59157", "E_interval_kwh").size(), "the channel after the slow one");

        sim.faults.remove("59156");
        poller(Clock.fixed(NOW, ZoneOffset.UTC), null, List.of("59156"), 900, 1).pollAll();
        assertEquals(192, samples("eniscope-59156", "E_interval_kwh").size(), "the next run backfills it");
    }

    @Test
    void a_body_that_is_not_json_is_dead_lettered_and_stored_data_stays() throws Exception {
        poller(NOW, List.of("59155"), 900).pollAll();
        sim.faults.put("59155", "html");
        poller(NOW.plusSeconds(3600), List.of("59155"), 900).pollAll();
        assertEquals(NOW.getEpochSecond(), watermark("59155"), "the watermark does not move");
        assertEquals(192, samples("eniscope-59155", "E_interval_kwh").size());
        DeadLetters.Letter letter = engine.deadLetters().latest(1).get(0);
        assertEquals("not JSON", letter.reason());
        assertEquals("main/59155", letter.origin());
        assertTrue(letter.payload().contains("Scheduled maintenance"), letter.payload());
    }
}
