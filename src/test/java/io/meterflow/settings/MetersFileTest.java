package io.meterflow.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.series.Meter;
import io.meterflow.series.SignalKind;
import io.meterflow.series.SignalKindRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetersFileTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @TempDir
    Path dir;

    private String problem(String yaml) throws Exception {
        Path f = dir.resolve("meters.yaml");
        Files.writeString(f, yaml);
        return assertThrows(ConfigException.class, () -> MetersFile.read(f, NEW_YORK))
                .getMessage();
    }

    @Test
    void the_shipped_registry_holds_the_six_seed_meters() {
        MetersFile.Contents c = MetersFile.read(Path.of("config/meters.yaml"), NEW_YORK);
        assertEquals(6, c.meters().size());
        Meter t10 = c.meters().get(0);
        assertEquals("ecc38a217ccc", t10.id());
        assertEquals("AN53111387-E-", t10.serial());
        assertEquals("T10", t10.transformer());
        assertEquals("Air Chiller", t10.description());
        assertEquals(NEW_YORK, t10.zone());
        assertEquals(
                List.of("ecc38a217ccc", "307a57001e28", "ecc38a2175a6", "307a57007b50", "ecc38a20c2b8", "ecc38a211029"),
                c.meters().stream().map(Meter::id).toList());
    }

    @Test
    void timezone_serial_and_signal_overrides_are_read() throws Exception {
        Path f = dir.resolve("meters.yaml");
        Files.writeString(
                f,
                "meters:\n  - id: m1\n    timezone: Europe/Berlin\n    signals:\n      e: interval\n"
                        + "signal_kinds:\n  - pattern: 'bms.*_temp'\n    kind: max\n");
        MetersFile.Contents c = MetersFile.read(f, NEW_YORK);
        Meter m1 = c.meters().get(0);
        assertEquals(ZoneId.of("Europe/Berlin"), m1.zone());
        assertEquals("m1-", m1.serial());
        SignalKindRules rules = new SignalKindRules(c.kindRules());
        assertEquals(SignalKind.INTERVAL, rules.kindOf("e", m1.signalKinds()));
        assertEquals(SignalKind.MAX, rules.kindOf("BMS1_cell_temp", Map.of()));
    }

    @Test
    void bad_entries_are_rejected_naming_the_key() throws Exception {
        assertTrue(problem("meters:\n  - id: ok\n  - id: 'bad id'\n")
                .contains("meters[1].id: meter id 'bad id' may hold only"));
        assertTrue(problem("meters:\n  - id: a\n    timezone: Mars/Olympus\n")
                .contains("meters[0].timezone: not an IANA timezone"));
        assertTrue(problem("meters:\n  - id: a\n  - id: a\n").contains("meters[1].id: meter 'a' is listed twice"));
        assertTrue(problem("meters:\n  - id: a\n    signals:\n      x: average\n")
                .contains("meters[0].signals.x: unknown signal kind"));
        assertTrue(problem("signal_kinds:\n  - pattern: x\n").contains("signal_kinds[0]: needs both"));
        assertTrue(problem("meters: [\n").contains("not valid YAML"));
        assertTrue(problem("meters:\n  - id: " + "x".repeat(65) + "\n").contains("longer than 64"));
        assertTrue(problem("meters:\n  - id: a\n    columns: [ts, kw, kw]\n")
                .contains("meters[0].columns[2]: 'kw' is listed twice"));
        assertTrue(problem("meters:\n  - id: a\n    columns: ts\n").contains("meters[0].columns: expected a list"));
    }

    @Test
    void the_columns_of_files_without_a_header_row_are_read() throws Exception {
        Path f = dir.resolve("meters.yaml");
        Files.writeString(f, "meters:\n  - id: ted\n    columns: [mtu, timestamp, power_kw]\n  - id: plain\n");
        List<Meter> meters = MetersFile.read(f, NEW_YORK).meters();
        assertEquals(List.of("mtu", "timestamp", "power_kw"), meters.get(0).columns());
        assertEquals(List.of(), meters.get(1).columns());
    }

    @Test
    void engine_settings_name_the_bad_key() {
        Map<String, String> bad = Map.of(Setting.DB_POOL_SIZE.key(), "many");
        assertTrue(assertThrows(ConfigException.class, () -> EngineSettings.from(bad::get))
                .getMessage()
                .startsWith("meterflow.db.pool-size: expected a positive whole number"));
        Map<String, String> zone = Map.of(Setting.DEFAULT_TIMEZONE.key(), "Nowhere/Land");
        assertTrue(assertThrows(ConfigException.class, () -> EngineSettings.from(zone::get))
                .getMessage()
                .startsWith("meterflow.default-timezone: not an IANA timezone"));
    }
}
