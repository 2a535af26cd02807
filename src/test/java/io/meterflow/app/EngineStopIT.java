package io.meterflow.app;

import static io.meterflow.app.EngineWithData.samples;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.EngineProcess;
import io.meterflow.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The engine jar as a real process, stopped normally (SIGTERM) on its embedded H2 file: the file is
 * compacted as the engine stops, and keeps every sample.
 */
class EngineStopIT {

    static final int HOURS = 48;
    static final long EXPECTED = HOURS * 3600L * 8;

    /** An engine jar on its own H2 file under {@code folder}, with {@link #HOURS} hourly files stored. */
    private static EngineProcess engineWithData(String folder, int port) throws Exception {
        return EngineWithData.start(
                Path.of("target", folder), port, TestDatabases.h2(), Instant.parse("2025-01-01T05:00:00Z"), HOURS);
    }

    @Test
    void a_stopped_engine_compacts_its_embedded_database_and_keeps_every_sample() throws Exception {
        try (EngineProcess engine = engineWithData("engine-stop", 18304)) {
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
            assertEquals(EXPECTED, samples(engine), "every sample after the compaction");
        }
    }

    /**
     * The check of {@code inbox/.done} against the ledger at start: skipped after a normal stop
     * (the stop leaves a mark), run in full after {@code kill -9}, where it puts back the file
     * whose ledger row a lost commit took with it, and nothing is stored twice.
     */
    @Test
    void the_done_folder_is_checked_at_start_after_a_kill_and_not_after_a_normal_stop() throws Exception {
        try (EngineProcess engine = engineWithData("engine-stop-done", 18305)) {
            Path mark = engine.home().resolve("inbox/.done/.stopped");

            engine.stop();
            assertTrue(Files.readString(mark).startsWith("ledger-last-id="), "a normal stop leaves its mark");
            engine.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.lastLog().contains("inbox .done"));
            assertTrue(
                    engine.lastLog().contains("inbox .done not checked: the engine stopped normally"),
                    engine.lastLog());
            assertFalse(Files.exists(mark), "the mark is taken at start");

            engine.kill();
            assertFalse(Files.exists(mark), "a killed engine leaves no mark");
            // as a power loss would leave an H2 file: the last file's commit is missing
            String h2 = "jdbc:h2:" + engine.home().resolve("data/meterflow").toAbsolutePath();
            String lost;
            try (Connection c = DriverManager.getConnection(h2, "sa", "");
                    Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT path FROM ingested_file ORDER BY id DESC LIMIT 1")) {
                    assertTrue(rs.next());
                    lost = rs.getString(1);
                }
                assertEquals(1, st.executeUpdate("DELETE FROM ingested_file WHERE path = '" + lost + "'"));
            }
            engine.start();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> engine.lastLog().contains("inbox .done checked against the ledger"));
            String log = engine.lastLog();
            assertTrue(log.contains("inbox .done checked against the ledger files=" + HOURS + " requeued=1"), log);
            assertTrue(log.contains("file requeued: in .done but not recorded as ingested file=" + lost), log);
            // ingested again: back in .done, recorded, and its samples stored once
            await().atMost(Duration.ofSeconds(30)).until(() -> engine.lastLog()
                    .contains("file ingested meter=" + EngineWithData.METER + " file=" + lost));
            assertTrue(Files.exists(engine.home().resolve("inbox/.done/" + lost)));
            assertEquals(EXPECTED, samples(engine), "no sample stored twice");
        }
    }
}
