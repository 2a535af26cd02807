package io.meterflow.source.niagara.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.series.Sample;
import io.meterflow.series.SignalKind;
import io.meterflow.store.SeriesCatalog;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The frame shapes Niagara stations publish (src/test/resources/formats/niagara/mqtt-*.json: the
 * flat frame, the point-object frame, the CSIRO DCH history export of the JSON Toolkit) and a
 * frame read through a key mapping of one's own, each handed to the engine's frame ingestor as the
 * MQTT route does and stored in a real database.
 */
class NiagaraFrameShapesTest {

    @TempDir
    Path dir;

    private static byte[] fixture(String name) throws Exception {
        try (InputStream in = NiagaraFrameShapesTest.class.getResourceAsStream("/formats/niagara/" + name)) {
            return in.readAllBytes();
        }
    }

    private static Map<String, SeriesCatalog.SeriesInfo> series(Engine engine, String meter) {
        return engine.catalog().list(meter).stream()
                .collect(Collectors.toMap(SeriesCatalog.SeriesInfo::signal, s -> s));
    }

    private static List<Sample> samples(Engine engine, SeriesCatalog.SeriesInfo s) {
        return engine.store().samples(s.id(), 0, Long.MAX_VALUE);
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void the_flat_and_the_point_object_frames_are_stored_with_status_unit_and_kind() throws Exception {
        try (Engine engine = TestEngines.start(dir, TestDatabases.h2())) {
            FrameIngestor frames = engine.niagaraFrames();
            assertEquals(
                    6, frames.ingest(fixture("mqtt-flat-frame.json"), "niagara/histories"), "3 values, 3 statuses");
            assertEquals(6, frames.ingest(fixture("mqtt-point-frame.json"), "niagara/histories"));
            Map<String, SeriesCatalog.SeriesInfo> s = series(engine, "AmsShop");
            assertEquals(
                    List.of(
                            new Sample(ms("2025-11-24T07:00:01.349Z"), 77.58),
                            new Sample(ms("2025-11-24T07:15:00.002Z"), 77.61)),
                    samples(engine, s.get("MaxSpaceTemp")).subList(0, 2));
            assertEquals(
                    0x10, samples(engine, s.get("MaxSpaceTemp#status")).get(1).value(), "{stale}");
            SeriesCatalog.SeriesInfo energy = s.get("Msb$2d1$20Energy");
            assertEquals("kWh", energy.unit(), "from point.hs:unit");
            assertEquals(SignalKind.COUNTER, energy.kind(), "a kWh history that never falls");
            assertEquals("Msb-1 Energy", energy.displayName());
            assertEquals(481236.0, samples(engine, energy).get(2).value());
            assertEquals(0, engine.deadLetters().count());
        }
    }

    @Test
    void the_dch_history_export_without_message_type_or_station_takes_the_default_station() throws Exception {
        try (Engine engine =
                TestEngines.start(dir, TestDatabases.h2(), Map.of("meterflow.mqtt.default-station", "CSIRO Demo"))) {
            long written = engine.niagaraFrames().ingest(fixture("mqtt-dch-history-export.json"), "dch/histories");
            assertEquals(3, written, "three values and no status: [ts, value] rows carry none");
            Map<String, SeriesCatalog.SeriesInfo> s = series(engine, "CSIRO_Demo");
            assertEquals(List.of("CS.EC.OFF.AHU 02.HW VALVE"), List.copyOf(s.keySet()), "no all-zero status series");
            assertEquals(
                    List.of(
                            new Sample(ms("2020-02-26T02:03:18.998Z"), 3.142),
                            new Sample(ms("2020-02-26T02:08:18.998Z"), 2.71),
                            new Sample(ms("2020-02-26T02:13:18.998Z"), 0)),
                    samples(engine, s.get("CS.EC.OFF.AHU 02.HW VALVE")));
        }
    }

    @Test
    void without_a_default_station_the_dch_export_is_a_dead_letter_saying_what_to_set() throws Exception {
        try (Engine engine = TestEngines.start(dir, TestDatabases.h2())) {
            assertEquals(0, engine.niagaraFrames().ingest(fixture("mqtt-dch-history-export.json"), "dch/histories"));
            String reason = engine.deadLetters().latest(1).get(0).reason();
            assertTrue(reason.contains("meterflow.mqtt.default-station"), reason);
        }
    }

    @Test
    void a_frame_of_ones_own_layout_is_read_through_the_key_mapping() throws Exception {
        try (Engine engine = TestEngines.start(
                dir,
                TestDatabases.h2(),
                Map.of(
                        "meterflow.mqtt.keys.station", "/site",
                        "meterflow.mqtt.keys.history", "/series/path",
                        "meterflow.mqtt.keys.rows", "/series/samples",
                        "meterflow.mqtt.keys.timestamp", "/t",
                        "meterflow.mqtt.keys.value", "/v",
                        "meterflow.mqtt.keys.status", "/q",
                        "meterflow.mqtt.keys.unit", "/series/units"))) {
            assertEquals(4, engine.niagaraFrames().ingest(fixture("mqtt-site-mapped-frame.json"), "plant7/out"));
            Map<String, SeriesCatalog.SeriesInfo> s = series(engine, "Plant7");
            SeriesCatalog.SeriesInfo temp = s.get("Boiler$20Supply$20Temp");
            assertEquals("°C", temp.unit());
            assertEquals(
                    List.of(new Sample(1740575000000L, 61.2), new Sample(1740575060000L, 61.4)),
                    samples(engine, temp),
                    "epoch milliseconds");
            assertEquals(
                    0x14,
                    samples(engine, s.get("Boiler$20Supply$20Temp#status"))
                            .get(1)
                            .value());
            // the default shapes are not read with this mapping
            assertEquals(0, engine.niagaraFrames().ingest(fixture("mqtt-flat-frame.json"), "plant7/out"));
        }
    }
}
