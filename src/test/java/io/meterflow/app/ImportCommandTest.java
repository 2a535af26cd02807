package io.meterflow.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.PropertyFile;
import io.meterflow.settings.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bulk import command over files the generator wrote, through the same ingest path as the inbox. */
class ImportCommandTest {

    @TempDir
    Path dir;

    @AfterEach
    void clearProperties() {
        System.clearProperty(Setting.DB_URL.key());
        System.clearProperty(Setting.METERS_FILE.key());
    }

    @Test
    void generated_hours_import_with_every_row_and_rising_counters() throws Exception {
        GenerateCommand.Stats stats = GenerateCommand.write(
                dir.resolve("files"),
                "AN53111387-E-",
                Instant.parse("2025-03-09T05:00:00Z"),
                3,
                1,
                ZoneId.of("America/New_York"));
        assertEquals(3 * 3600, stats.rows());
        List<String> lines = Files.readAllLines(dir.resolve("files/AN53111387-E-2025-03-09T00-00-00-0500-1sec.csv"));
        assertEquals(GenerateCommand.HEADER.trim(), lines.get(0));
        assertEquals(3601, lines.size());
        double previous = 0;
        for (String line : lines.subList(1, lines.size())) {
            double posAe = Double.parseDouble(line.split(",")[5]);
            assertTrue(posAe > previous, "pos_ae rises: " + line);
            previous = posAe;
        }

        System.setProperty(Setting.DB_URL.key(), "jdbc:h2:" + dir.resolve("db/meterflow"));
        System.setProperty(Setting.METERS_FILE.key(), "config/meters.yaml");
        assertEquals(0, ImportCommand.run(new String[] {dir.resolve("files").toString(), "--meter", "ecc38a217ccc"}));
        try (Engine engine =
                Engine.start(EngineSettings.from(PropertyFile.lookup(Path.of("config/application.properties"))))) {
            assertEquals(3 * 3600 * 8, engine.store().sampleCount());
        }
        assertEquals(2, ImportCommand.run(new String[] {dir.resolve("files").toString()}), "--meter is required");
    }
}
