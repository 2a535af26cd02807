package io.meterflow.source.eniscope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.ingest.SampleWriter;
import io.meterflow.ingest.SeriesRegistrar;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.Sample;
import io.meterflow.series.SignalKind;
import io.meterflow.store.SeriesCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Eniscope poller against readings in the API's own format ({@link EniscopeCapturedApi}, real
 * HTTP, real H2): units from the response's {@code units} map for every field, a field the channel
 * does not have, the meter's zone from the readings, and a device that uploads late.
 */
class EniscopeCapturedReadingsTest {

    /** Two days after the first record of the captured response. */
    static final Instant NOW = Instant.parse("2025-07-03T00:00:00Z");

    static final List<String> FIELDS = List.of("E", "E1", "E2", "E3", "P", "P1", "P2", "P3", "Q", "S", "I", "V");

    @TempDir
    Path dir;

    private Engine engine;
    private EniscopeCapturedApi api;

    @BeforeEach
    void start() throws Exception {
        engine = TestEngines.start(dir, TestDatabases.h2());
        api = new EniscopeCapturedApi(18452);
    }

    @AfterEach
    void stop() {
        api.close();
        engine.close();
    }

    private EniscopePoller poller(Instant now, int lateHours) {
        return poller(Clock.fixed(now, ZoneOffset.UTC), lateHours);
    }

    private EniscopePoller poller(Clock clock, int lateHours) {
        EniscopeAccount account = new EniscopeAccount(
                "main",
                "0 5 * * * ?",
                new EniscopeAccount.Login(
                        api.url(),
                        EniscopeCapturedApi.KEY,
                        EniscopeCapturedApi.EMAIL,
                        EniscopeCapturedApi.PASSWORD,
                        Duration.ofSeconds(30)),
                new EniscopeAccount.Scope(null, List.of("59155")),
                new EniscopeAccount.Readings(FIELDS, 900, 2, 24, lateHours));
        return new EniscopePoller(
                List.of(account),
                engine.registry(),
                new SampleWriter(
                        engine.registry(), engine.catalog(), engine.store(), 3, engine.availability(), Metrics.NONE),
                new EniscopeChannels(engine.dataSource()),
                new EniscopeReferences(engine.dataSource()),
                engine.deadLetters(),
                clock,
                3,
                10,
                new SeriesRegistrar(engine.registry(), engine.catalog()),
                Metrics.NONE);
    }

    private Map<String, SeriesCatalog.SeriesInfo> series() {
        return engine.catalog().list("eniscope-59155").stream()
                .collect(Collectors.toMap(SeriesCatalog.SeriesInfo::signal, s -> s));
    }

    private List<Sample> samples(String signal) {
        return engine.store().samples(series().get(signal).id(), 0, Long.MAX_VALUE);
    }

    private long watermark() {
        return new EniscopeChannels(engine.dataSource()).watermark("main", "59155");
    }

    @Test
    void every_field_is_stored_in_the_unit_its_units_entry_names_and_an_unsupported_field_is_left_out()
            throws Exception {
        Instant[] now = {NOW};
        EniscopePoller poller = poller(
                new Clock() {
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
                },
                48);
        Map<String, Object> summary = poller.pollAll();
        assertTrue(summary.toString().contains("failed=[]"), summary.toString());
        assertEquals(Set.of("V"), poller.unsupportedFields("main", "59155"), "V answered Invalid Parameter");
        // the failed request, one per field to find the one, then the two windows without V
        assertEquals(1 + FIELDS.size() + 2, api.requests.size(), api.requests.toString());
        Map<String, SeriesCatalog.SeriesInfo> s = series();
        assertEquals(
                Set.of(
                        "E_interval_kwh",
                        "E1_interval_kwh",
                        "E2_interval_kwh",
                        "E3_interval_kwh",
                        "P_kw",
                        "P1_kw",
                        "P2_kw",
                        "P3_kw",
                        "Q_kvar",
                        "S_kva",
                        "I_a"),
                s.keySet());
        for (String e : List.of("E_interval_kwh", "E1_interval_kwh", "E2_interval_kwh", "E3_interval_kwh")) {
            assertEquals(SignalKind.INTERVAL, s.get(e).kind(), e + " is energy per interval: summed");
            assertEquals("kWh", s.get(e).unit());
        }
        assertEquals(SignalKind.GAUGE, s.get("P1_kw").kind());
        assertEquals("kW", s.get("P1_kw").unit());
        assertEquals("kvar", s.get("Q_kvar").unit());
        assertEquals("kVA", s.get("S_kva").unit());
        assertEquals("A", s.get("I_a").unit());
        long first = Instant.parse("2025-07-01T00:00:00Z").toEpochMilli();
        // the first captured record: E1 1842.900933838 Wh, P1 7371.6037353516 W, Q 6660.870771 VAr
        assertEquals(
                new Sample(first, 1842.900933838 / 1000),
                samples("E1_interval_kwh").get(0));
        assertEquals(new Sample(first, 7371.6037353516 / 1000), samples("P1_kw").get(0));
        assertEquals(new Sample(first, 6660.870771 / 1000), samples("Q_kvar").get(0));
        assertEquals(new Sample(first, 22495.435378 / 1000), samples("S_kva").get(0));
        assertEquals(new Sample(first, 57.546413593), samples("I_a").get(0));
        assertEquals(192, samples("E_interval_kwh").size());
        assertEquals(
                ZoneId.of("America/Mexico_City"),
                engine.registry().find("eniscope-59155").zone(),
                "a configured channel has no device: the zone the readings name");

        int before = api.requests.size();
        poller.pollAll(); // the same time: nothing new to ask for
        now[0] = NOW.plusSeconds(3600);
        poller.pollAll();
        List<List<String>> later = api.requests.subList(before, api.requests.size());
        assertEquals(1, later.size(), "one request for the new hour: " + later);
        assertTrue(!later.get(0).contains("V"), "V is no longer asked for (for the life of the engine)");
    }

    @Test
    void the_watermark_stops_where_a_device_that_may_still_upload_stopped_and_the_late_readings_are_fetched()
            throws Exception {
        api.uploadedUntil = NOW.getEpochSecond() - 3 * 3600; // the device is three hours behind
        poller(NOW, 48).pollAll();
        assertEquals(NOW.getEpochSecond() - 3 * 3600, watermark(), "not past the last record");
        assertEquals(180, samples("E_interval_kwh").size());
        api.uploadedUntil = Long.MAX_VALUE; // the device caught up
        poller(NOW, 48).pollAll();
        assertEquals(NOW.getEpochSecond(), watermark());
        assertEquals(192, samples("E_interval_kwh").size(), "the three late hours are stored");
    }

    @Test
    void an_empty_window_moves_the_watermark_only_once_it_is_older_than_the_late_upload_horizon() throws Exception {
        api.uploadedUntil = NOW.getEpochSecond() - 30 * 3600; // offline for the last 30 hours
        poller(NOW, 12).pollAll();
        assertEquals(
                NOW.getEpochSecond() - 24 * 3600,
                watermark(),
                "the first window is older than 12 hours: settled; the second came back empty: kept");
        assertEquals(18 * 4, samples("E_interval_kwh").size());
        api.uploadedUntil = Long.MAX_VALUE;
        poller(NOW, 12).pollAll();
        assertEquals(NOW.getEpochSecond(), watermark());
        assertEquals(
                (18 + 24) * 4,
                samples("E_interval_kwh").size(),
                "the 6 hours before the settled window's end stay missing: they were older than the horizon");
    }
}
