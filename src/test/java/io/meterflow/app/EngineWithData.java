package io.meterflow.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.EngineProcess;
import io.meterflow.TestDatabases;
import io.meterflow.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/** The engine jar as a process whose inbox has taken hourly files of 1-second data, for the tests that then stop or kill it. */
final class EngineWithData {

    static final String METER = "ecc38a217ccc";

    private static final ObjectMapper JSON = new ObjectMapper();

    private EngineWithData() {}

    /** The samples the engine has stored (its {@code /health}). */
    static long samples(EngineProcess engine) throws Exception {
        return JSON.readTree(engine.get("/health").body()).get("samples").asLong();
    }

    /**
     * An engine home under {@code root} on {@code db} (an H2 database in the home when {@code db}
     * is H2), started, with {@code hours} hourly files of 1-second data from {@code start} moved
     * into its inbox and every sample of them stored.
     */
    static EngineProcess start(Path root, int port, TestDatabases.Target db, Instant start, int hours)
            throws Exception {
        TestFiles.deleteTree(root);
        GenerateCommand.write(
                root.resolve("staging/" + METER), "AN53111387-E-", start, hours, 1, ZoneId.of("America/New_York"));
        String url = db.url().startsWith("jdbc:h2:") ? "jdbc:h2:./data/meterflow" : db.url();
        EngineProcess engine = new EngineProcess(root.resolve("home"), port)
                .property("meterflow.db.url", url)
                .property("meterflow.db.user", db.user());
        engine.start();
        try {
            // the engine makes its inbox before it answers: the folder is moved in as a user would
            assertTrue(Files.isDirectory(engine.home().resolve("inbox")), "no inbox once the engine answers");
            Files.move(root.resolve("staging/" + METER), engine.home().resolve("inbox/" + METER));
            await().atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(250))
                    .until(() -> samples(engine) == hours * 3600L * 8);
            return engine;
        } catch (Exception | AssertionError e) {
            engine.close(); // the caller never gets it to close
            throw e;
        }
    }
}
