package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.SmallDisk;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.source.file.IngestReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded database's folder fills up (a 3 MiB tmpfs): the file being ingested waits in the
 * inbox (not rejected as bad), {@code /health} says why, what was stored stays, and once there is
 * room again ingestion goes on without a restart.
 */
class H2DiskFullTest {

    @TempDir
    Path dir;

    /** An hour of 1-second rows of three signals, random so that it compresses badly. */
    private static Path hour(Path inbox, int h) throws Exception {
        Path csv = inbox.resolve("ecc38a217ccc/h" + h + ".csv");
        Files.createDirectories(csv.getParent());
        StringBuilder sb = new StringBuilder("timestamp,kw,pf,u_a\n");
        Instant start = Instant.parse("2025-01-06T05:00:00Z").plusSeconds(h * 3600L);
        java.util.Random random = new java.util.Random(h);
        for (int s = 0; s < 3600; s++) {
            sb.append(start.plusSeconds(s))
                    .append(',')
                    .append(random.nextDouble())
                    .append(',')
                    .append(random.nextDouble())
                    .append(',')
                    .append(random.nextDouble())
                    .append('\n');
        }
        Files.writeString(csv, sb);
        return csv;
    }

    @Test
    void a_full_database_disk_holds_files_in_the_inbox_and_ingestion_resumes_when_space_returns() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("db"), 3 * 1024);
                Engine engine = TestEngines.start(
                        dir,
                        new TestDatabases.Target("h2", "jdbc:h2:" + disk.dir().resolve("meterflow"), "sa"))) {
            Path inbox = dir.resolve("inbox");
            int stored = 0;
            Future<IngestReport> held = null;
            Path heldFile = null;
            for (int h = 0; h < 100 && held == null; h++) {
                Path f = hour(inbox, h);
                Future<IngestReport> r =
                        worker.submit(() -> engine.fileIngestor().ingestDropped(f.toFile()));
                try {
                    assertTrue(r.get(20, TimeUnit.SECONDS).ingested());
                    stored++;
                } catch (TimeoutException e) {
                    held = r; // the disk is full: the file waits for the database
                    heldFile = f;
                }
            }
            assertTrue(held != null && stored > 3, "the disk filled after " + stored + " files");
            assertTrue(Files.exists(heldFile), "the file waits in the inbox");
            assertFalse(Files.exists(inbox.resolve(".error")), "nothing is rejected as bad");
            Map<String, Object> health = engine.api().health().check();
            assertTrue(List.of("degraded", "unhealthy").contains(health.get("status")), health.toString()); // 503
            assertTrue(health.get("problems").toString().contains("No space left"), health.toString());

            disk.resize(256 * 1024); // above the 64 MB /health warns at
            assertTrue(held.get(60, TimeUnit.SECONDS).ingested(), "ingested once there is room");
            assertEquals(List.of(), Files.list(inbox.resolve("ecc38a217ccc")).toList());
            Path next = hour(inbox, 100);
            assertTrue(worker.submit(() -> engine.fileIngestor().ingestDropped(next.toFile()))
                    .get(20, TimeUnit.SECONDS)
                    .ingested());
            assertEquals((stored + 2) * 3600L * 3, engine.store().sampleCount(), "every file's samples, once");
            assertEquals(
                    "healthy",
                    engine.api().health().check().get("status"),
                    engine.api().health().check().toString());
        } finally {
            worker.shutdownNow();
        }
    }
}
