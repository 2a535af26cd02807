package io.meterflow.export;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.SmallDisk;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.api.ApiException;
import io.meterflow.api.ApiResponse;
import io.meterflow.app.Engine;
import io.meterflow.settings.Setting;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exports onto a full disk (a 1 MiB tmpfs as the export folder): the job or request fails with a
 * clear reason, no partial file is left, the space is given back, and the next export that fits
 * succeeds without a restart.
 */
class ExportDiskFullTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** A day of 1-second data: its 1sec export is about 4 MB, its 1hr export 1 KB. */
    private static void ingestDay(Engine engine, Path dir) throws Exception {
        Path csv = dir.resolve("inbox/ecc38a217ccc/day.csv");
        Files.createDirectories(csv.getParent());
        StringBuilder sb = new StringBuilder("timestamp,kw,pf\n");
        for (int s = 0; s < 86_400; s++) {
            sb.append(Instant.parse("2025-01-06T05:00:00Z").plusSeconds(s))
                    .append(',')
                    .append(s % 100)
                    .append(",0.9\n");
        }
        Files.writeString(csv, sb);
        assertTrue(engine.fileIngestor().ingestDropped(csv.toFile()).ingested());
    }

    private static String request(String resolution) {
        return "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-06T00:00:00\","
                + "\"end_datetime\":\"2025-01-06T23:59:59\",\"resolution\":\"" + resolution + "\"}";
    }

    private static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void a_job_and_a_request_that_fill_the_disk_fail_clearly_and_give_the_space_back() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("exports"), 1024);
                Engine engine = TestEngines.start(
                        dir,
                        TestDatabases.h2(),
                        Map.of(
                                Setting.EXPORT_DIR.key(),
                                disk.dir().toString(),
                                // a synchronous export beyond 64 KiB goes through the small disk
                                Setting.EXPORT_SYNC_MEMORY_BYTES.key(),
                                "65536"))) {
            ingestDay(engine, dir);
            long emptyFree = disk.free();

            @SuppressWarnings("unchecked")
            String big = engine.exportJobs().submit(JSON.readValue(request("1sec"), Map.class));
            ExportJobTable.Job failed = await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.exportJobs().find(big).orElseThrow(), j -> j.status() == JobStatus.FAILED);
            assertEquals("NO_SPACE", failed.failure().code());
            assertTrue(
                    failed.failure().message().contains("No space left"),
                    failed.failure().message());
            assertEquals(0, files(disk.dir()), "no partial file, no temporary file");
            assertEquals(emptyFree, disk.free(), "the space is free again (no deleted file held open)");

            ApiException sync = assertThrows(
                    ApiException.class, () -> engine.api().exports().generateCsv(request("1sec")));
            assertEquals(507, sync.status());
            assertEquals("NO_SPACE", sync.code());
            assertEquals(emptyFree, disk.free());

            // the engine goes on: what fits is exported
            @SuppressWarnings("unchecked")
            String small = engine.exportJobs().submit(JSON.readValue(request("1hr"), Map.class));
            ExportJobTable.Job done = await().atMost(Duration.ofSeconds(30))
                    .until(() -> engine.exportJobs().find(small).orElseThrow(), j -> j.status() == JobStatus.COMPLETED);
            assertEquals(24, done.output().records());
            ApiResponse csv = engine.api().exports().generateCsv(request("1hr"));
            assertEquals(200, csv.status());
            java.nio.ByteBuffer body = (java.nio.ByteBuffer) csv.body(); // 1 KB: from memory
            assertEquals(
                    25, StandardCharsets.UTF_8.decode(body).toString().lines().count());
        }
    }
}
