package io.meterflow.store;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.EngineProcess;
import io.meterflow.TestDatabases;
import io.meterflow.TestFiles;
import io.meterflow.source.niagara.mqtt.HistoryPublisher;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The engine (a real process) on a real PostgreSQL database that turns read-only, then refuses
 * connections, then has its samples table locked by another session, while files land in the
 * inbox and frames arrive over MQTT (the machine's Mosquitto on 127.0.0.1:1883): nothing is
 * rejected or acknowledged meanwhile, /health says why at once (and keeps answering during the
 * lock), the log says it once per outage, and everything is stored once the database is back,
 * without a restart.
 */
class DatabaseFaultIT {

    static final String DB = "mf_fault";
    static final ObjectMapper JSON = new ObjectMapper();

    private static void admin(String sql) throws Exception {
        TestDatabases.postgresAdmin(sql);
    }

    /** Ends every session of the engine on the database, as a failover or a restart of the server would. */
    private static void dropSessions() throws Exception {
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + DB + "'");
    }

    private static long query(String sql) throws Exception {
        return TestDatabases.postgresQueryLong(DB, sql);
    }

    private static void drop(Path inbox, String relative, int rows, int hour) throws Exception {
        StringBuilder csv = new StringBuilder("timestamp,kw\n");
        for (int i = 0; i < rows; i++) {
            csv.append(Instant.parse("2025-03-01T00:00:00Z").plusSeconds(3600L * hour + 60L * i))
                    .append(',')
                    .append(i)
                    .append('\n');
        }
        Path f = inbox.resolve(relative);
        Files.createDirectories(f.getParent());
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.writeString(tmp, csv);
        Files.move(tmp, f);
    }

    private static long files(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static int occurrences(String text, String phrase) {
        return (int)
                Pattern.compile(Pattern.quote(phrase)).matcher(text).results().count();
    }

    @Test
    void an_outage_holds_files_and_frames_and_everything_is_stored_once_the_database_is_back() throws Exception {
        assumeTrue(TestDatabases.postgresAvailable(), "PostgreSQL on 127.0.0.1:5432");
        TestDatabases.freshPostgresDatabase(DB);
        Path root = Path.of("target/db-fault");
        TestFiles.deleteTree(root);
        String topic = "it/fault-" + UUID.randomUUID() + "/histories";
        try (EngineProcess engine = new EngineProcess(root.resolve("home"), 18310)
                        .property("meterflow.db.url", "jdbc:postgresql://127.0.0.1:5432/" + DB)
                        .property("meterflow.db.user", "postgres")
                        .property("meterflow.db.connect-timeout-ms", "1000")
                        .property("meterflow.mqtt.enabled", "true")
                        .property("meterflow.mqtt.topic", topic)
                        .property("meterflow.mqtt.client-id", "fault-" + UUID.randomUUID());
                HistoryPublisher station =
                        new HistoryPublisher("tcp://127.0.0.1:1883", "station-" + UUID.randomUUID())) {
            engine.start();
            long startupLines = engine.logs().lines().count();
            Path inbox = engine.home().resolve("inbox");
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> health(engine).path("mqtt").path("connected").asBoolean());

            // 1. read-only: sessions end, new ones cannot write
            admin("ALTER DATABASE " + DB + " SET default_transaction_read_only = on");
            dropSessions();
            drop(inbox, "ecc38a217ccc/ro-1.csv", 60, 0);
            drop(inbox, "ecc38a217ccc/ro-2.csv", 60, 1);
            drop(inbox, "newmeter-ro/a.csv", 30, 0); // a meter first seen during the outage
            for (int f = 0; f < 10; f++) {
                station.publish(
                        topic,
                        HistoryPublisher.frame(
                                "FaultStation",
                                "kW",
                                Instant.parse("2025-03-02T00:00:00Z").plusSeconds(100L * f),
                                50,
                                f * 50,
                                "{ok}"));
            }
            await().atMost(Duration.ofSeconds(15))
                    .untilAsserted(() -> assertEquals(
                            "degraded", health(engine).get("status").asText()));
            Thread.sleep(3_000); // an outage of some seconds: files and frames wait through it
            HttpResponse<String> readOnly = engine.get("/health");
            assertEquals(503, readOnly.statusCode(), readOnly.body());
            JsonNode degraded = JSON.readTree(readOnly.body());
            assertTrue(degraded.get("problems").toString().contains("read-only"), degraded.toString());
            assertEquals(
                    3,
                    files(inbox.resolve("ecc38a217ccc")) + files(inbox.resolve("newmeter-ro")),
                    "the files wait in the inbox");
            assertEquals(0, files(inbox.resolve(".error")), "nothing rejected for the database's sake");
            assertEquals(0, files(inbox.resolve(".done")));
            assertEquals(0, query("SELECT COUNT(*) FROM meter WHERE id = 'FaultStation'"), "no frame stored");

            admin("ALTER DATABASE " + DB + " RESET default_transaction_read_only");
            dropSessions();
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertEquals(3, files(inbox.resolve(".done"))));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(10 * 50, stored("FaultStation")));
            assertEquals(
                    1, query("SELECT COUNT(*) FROM meter WHERE id = 'newmeter-ro'"), "the new meter is in the table");
            assertEquals(60 + 60 + 30, stored("ecc38a217ccc") + stored("newmeter-ro"));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertEquals("healthy", health(engine).get("status").asText()));

            // 2. connections refused
            admin("ALTER DATABASE " + DB + " ALLOW_CONNECTIONS false");
            dropSessions();
            drop(inbox, "ecc38a217ccc/down-1.csv", 40, 2);
            drop(inbox, "ecc38a217ccc/down-2.csv", 40, 3);
            for (int f = 10; f < 14; f++) {
                station.publish(
                        topic,
                        HistoryPublisher.frame(
                                "FaultStation",
                                "kW",
                                Instant.parse("2025-03-02T00:00:00Z").plusSeconds(100L * f),
                                50,
                                f * 50,
                                "{ok}"));
            }
            Thread.sleep(1_000); // /health may answer from counts read up to 0.5 s ago
            long t0 = System.nanoTime();
            HttpResponse<String> down = engine.get("/health");
            long tookMillis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(503, down.statusCode(), down.body());
            JsonNode unhealthy = JSON.readTree(down.body());
            assertEquals("unhealthy", unhealthy.get("status").asText());
            assertTrue(unhealthy.get("problems").toString().contains("database not reachable"), down.body());
            assertTrue(tookMillis < 3_500, "/health answered in " + tookMillis + " ms");
            Thread.sleep(4_000);
            assertEquals(2, files(inbox.resolve("ecc38a217ccc")), "the files wait in the inbox");
            assertEquals(0, files(inbox.resolve(".error")));

            admin("ALTER DATABASE " + DB + " ALLOW_CONNECTIONS true");
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertEquals(5, files(inbox.resolve(".done"))));
            assertEquals(60 + 60 + 30 + 40 + 40, stored("ecc38a217ccc") + stored("newmeter-ro"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertEquals(14 * 50, stored("FaultStation")));
            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() ->
                            assertEquals("healthy", health(engine).get("status").asText()));

            // 3. the samples table locked by another session for 8 s: writes wait, /health answers
            try (Connection locker =
                    DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB, "postgres", "")) {
                locker.setAutoCommit(false);
                locker.createStatement().execute("LOCK TABLE sample_block IN ACCESS EXCLUSIVE MODE");
                drop(inbox, "ecc38a217ccc/locked.csv", 20, 4);
                Thread.sleep(3_000);
                long h0 = System.nanoTime();
                HttpResponse<String> locked = engine.get("/health");
                long lockedMillis = (System.nanoTime() - h0) / 1_000_000;
                assertTrue(lockedMillis < 3_500, "/health answered in " + lockedMillis + " ms during the lock");
                assertEquals(200, locked.statusCode(), locked.body());
                Thread.sleep(5_000);
                assertEquals(1, files(inbox.resolve("ecc38a217ccc")), "the file waits for the lock");
                locker.rollback();
            }
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(250))
                    .untilAsserted(() -> assertEquals(6, files(inbox.resolve(".done"))));
            assertEquals(0, files(inbox.resolve(".error")), "a lock only delays");
            assertEquals(60 + 60 + 30 + 40 + 40 + 20, stored("ecc38a217ccc") + stored("newmeter-ro"));

            String log = engine.logs();
            assertEquals(2, occurrences(log, "database unavailable"), "one line per outage:\n" + log);
            assertEquals(2, occurrences(log, "database writable again"), log);
            assertFalse(log.contains("file rejected"), log);
            // a failure logged at every retry would add hundreds of lines through the outages
            long outageLines = log.lines().count() - startupLines;
            assertTrue(outageLines < 100, "a quiet log: " + outageLines + " lines after start-up");
        } finally {
            admin("DROP DATABASE IF EXISTS " + DB + " WITH (FORCE)");
        }
    }

    private static JsonNode health(EngineProcess engine) throws Exception {
        return JSON.readTree(engine.get("/health").body());
    }

    private static long stored(String meter) throws Exception {
        return query("SELECT COALESCE(SUM(b.sample_count), 0) FROM sample_block b JOIN series s ON s.id = b.series_id"
                + " WHERE s.meter_id = '" + meter + "' AND s.signal NOT LIKE '%#status'");
    }
}
