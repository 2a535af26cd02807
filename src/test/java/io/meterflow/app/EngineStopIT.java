package io.meterflow.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.EngineProcess;
import io.meterflow.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

/**
 * The engine jar as a real process, stopped normally (SIGTERM) on its embedded H2 file: the file is
 * compacted as the engine stops, and keeps every sample.
 */
class EngineStopIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String METER = "ecc38a217ccc";
    static final int HOURS = 48;

    private static long samples(EngineProcess engine) throws Exception {
        return JSON.readTree(engine.get("/health").body()).get("samples").asLong();
    }

    @Test
    void a_stopped_engine_compacts_its_embedded_database_and_keeps_every_sample() throws Exception {
        Path root = Path.of("target/engine-stop");
        TestFiles.deleteTree(root);
        GenerateCommand.write(
                root.resolve("staging/" + METER),
                "AN53111387-E-",
                Instant.parse("2025-01-01T05:00:00Z"),
                HOURS,
                1,
                ZoneId.of("America/New_York"));
        try (EngineProcess engine = new EngineProcess(root.resolve("home"), 18304)
                .property("meterflow.db.url", "jdbc:h2:./data/meterflow")) {
            engine.start();
            Files.move(root.resolve("staging/" + METER), engine.home().resolve("inbox/" + METER));
            long expected = HOURS * 3600L * 8;
            await().atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> samples(engine) == expected);
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
