package io.meterflow.export.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.series.MeterRegistry;
import io.meterflow.series.SignalKindRules;
import io.meterflow.settings.ConfigException;
import io.meterflow.settings.MetersFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportsFileTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @TempDir
    Path dir;

    private final MeterRegistry registry = new MeterRegistry(
            MetersFile.read(Path.of("config/meters.yaml"), NEW_YORK).meters(), NEW_YORK, SignalKindRules.builtIn());

    private String problem(String yaml) throws Exception {
        Path f = dir.resolve("exports.yaml");
        Files.writeString(f, yaml);
        return assertThrows(ConfigException.class, () -> ExportsFile.read(f, registry))
                .getMessage();
    }

    private static final String OK = "exports:\n  - name: a\n    cron: '0 0 2 * * ?'\n    meters: [ecc38a217ccc]\n"
            + "    destinations:\n      folder: out/\n";

    @Test
    void the_shipped_file_is_valid_and_a_site_expands_to_its_meters() {
        List<ScheduledExport> defs = ExportsFile.read(Path.of("config/exports.yaml"), registry);
        assertEquals(2, defs.size());
        assertEquals(4, defs.get(1).content().meters().size(), "the four Cherry Ave meters");
        assertTrue(defs.get(1).destinations().http().multipart());
    }

    @Test
    void bad_definitions_are_rejected_at_start_naming_the_key() throws Exception {
        assertTrue(problem(OK.replace("'0 0 2 * * ?'", "'0 0 25 * * ?'"))
                .contains("exports[0].cron: not a Quartz cron expression"));
        assertTrue(problem(OK.replace("[ecc38a217ccc]", "[nope]")).contains("exports[0].meters: unknown meter 'nope'"));
        assertTrue(problem(OK + "    window: yesterday\n").contains("exports[0].window: unknown window 'yesterday'"));
        assertTrue(problem(OK + "    resolution: 2min\n").contains("exports[0].resolution: unknown resolution"));
        assertTrue(problem(OK.replace("      folder: out/\n", "      folder: ../etc/\n"))
                .contains("exports[0].destinations.folder"));
        assertTrue(problem(OK.replace("    destinations:\n      folder: out/\n", ""))
                .contains("exports[0].destinations: needs"));
        assertTrue(problem(
                        OK
                                + "  - name: a\n    cron: '0 0 3 * * ?'\n    meters: [ecc38a217ccc]\n    destinations:\n      folder: b/\n")
                .contains("exports[1].name: 'a' is defined twice"));
        assertTrue(problem(OK.replace("      folder: out/\n", "      http:\n        url: ftp://x\n"))
                .contains("exports[0].destinations.http.url"));
        assertTrue(problem(OK.replace("    cron: '0 0 2 * * ?'\n", "")).contains("exports[0].cron: is required"));
        assertTrue(problem(OK.replace("    meters: [ecc38a217ccc]\n", "    site: Nowhere\n"))
                .contains("exports[0].site: no meter"));
    }
}
