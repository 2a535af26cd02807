package io.meterflow.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.EngineProcess;
import io.meterflow.TestDatabases;
import io.meterflow.TestFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The engine jar as a real process, killed with SIGKILL at several moments while it works, then
 * started again: nothing it acknowledged (a file moved to {@code .done}) may be lost, nothing
 * stored twice.
 */
class CrashIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String METER = "ecc38a217ccc";
    static final int HOURS = 96;
    static final long SAMPLES = HOURS * 3600L * 8;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    private static long samples(EngineProcess engine) throws Exception {
        return JSON.readTree(engine.get("/health").body()).get("samples").asLong();
    }

    private static long count(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void files_acknowledged_before_a_kill_are_never_lost_and_never_doubled(TestDatabases.Target db) throws Exception {
        Path root = Path.of("target/crash-files-" + db.name());
        TestFiles.deleteTree(root);
        GenerateCommand.write(
                root.resolve("staging/" + METER),
                "AN53111387-E-",
                Instant.parse("2025-01-01T05:00:00Z"),
                HOURS,
                1,
                ZoneId.of("America/New_York"));
        String url = db.url().startsWith("jdbc:h2:") ? "jdbc:h2:./data/meterflow" : db.url();
        try (EngineProcess engine = new EngineProcess(root.resolve("home"), 18300)
                .property("meterflow.db.url", url)
                .property("meterflow.db.user", db.user())) {
            engine.start();
            Path inbox = engine.home().resolve("inbox");
            Files.move(root.resolve("staging/" + METER), inbox.resolve(METER));
            // killed three times while files are being ingested, at different moments
            for (long millis : new long[] {1_500, 900, 2_200}) {
                Thread.sleep(millis);
                engine.kill();
                engine.start();
            }
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(500))
                    .alias("every file out of the inbox")
                    .until(() -> count(inbox.resolve(METER)) == 0);
            assertEquals(HOURS, count(inbox.resolve(".done/" + METER)), "every file acknowledged");
            assertEquals(0, count(inbox.resolve(".error")), "no file rejected");
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertEquals(SAMPLES, samples(engine), "samples stored"));
            engine.kill();
            engine.start(); // and what was acknowledged is still there after one more kill
            assertEquals(SAMPLES, samples(engine), "every sample of every acknowledged file, once");
            JsonNode info = JSON.readTree(engine.get("/meter_info/" + METER).body());
            assertEquals(HOURS, info.get("file_count").asInt(), info.toString());
        }
    }
}
