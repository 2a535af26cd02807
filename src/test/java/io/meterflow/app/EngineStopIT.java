package io.meterflow.app;

import static io.meterflow.app.EngineWithData.samples;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.EngineProcess;
import io.meterflow.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The engine jar as a real process, stopped normally (SIGTERM) on its embedded H2 file: the file is
 * compacted as the engine stops, and keeps every sample.
 */
class EngineStopIT {

    static final int HOURS = 48;

    @Test
    void a_stopped_engine_compacts_its_embedded_database_and_keeps_every_sample() throws Exception {
        try (EngineProcess engine = EngineWithData.start(
                Path.of("target/engine-stop"),
                18304,
                TestDatabases.h2(),
                Instant.parse("2025-01-01T05:00:00Z"),
                HOURS)) {
            long expected = HOURS * 3600L * 8;
            Path file = engine.home().resolve("data/meterflow.mv.db");
            long running = Files.size(file);

            engine.stop();
            String log = engine.logs();
            // H2's own exit hook used to close the database first, and the compaction failed
            assertTrue(log.contains("database compacted"), "the stop compacted the database:\n" + log);
            assertFalse(log.contains("database not compacted"), log);
            long stopped = Files.size(file);
            assertTrue(stopped < running, "file while running " + running + " bytes, after the stop " + stopped);

            engine.start();
            assertEquals(expected, samples(engine), "every sample after the compaction");
        }
    }
}
