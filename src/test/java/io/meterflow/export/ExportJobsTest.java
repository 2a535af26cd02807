package io.meterflow.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.meterflow.Meterflow;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.api.ApiException;
import io.meterflow.config.EngineSettings;
import io.meterflow.store.ExportJobTable;

/** Export jobs across engine restarts, retention and the bounded queue. */
class ExportJobsTest {

    @TempDir
    Path dir;

    private Meterflow start(TestDatabases.Target db, Map<String, String> extra) {
        return TestEngines.start(dir, db, extra);
    }

    private void ingestDay(Meterflow m) throws Exception {
        Path csv = dir.resolve("inbox/ecc38a217ccc/day.csv");
        Files.createDirectories(csv.getParent());
        StringBuilder sb = new StringBuilder("timestamp,kw\n");
        for (int s = 0; s < 86_400; s += 10) {
            sb.append(Instant.parse("2025-01-06T05:00:00Z").plusSeconds(s)).append(',').append(s % 100).append('\n');
        }
        Files.writeString(csv, sb);
        assertTrue(m.ingestor().ingestDropped(csv.toFile()).ingested());
    }

    private static String request(String resolution) {
        return "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-06T00:00:00\","
                + "\"end_datetime\":\"2025-01-06T23:59:59\",\"resolution\":\"" + resolution + "\"}";
    }

    private static ExportJobTable.Job await(Meterflow m, String id, String status) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            ExportJobTable.Job job = m.exportJobs().find(id).orElseThrow();
            if (job.status().equals(status)) {
                return job;
            }
            assertTrue(System.currentTimeMillis() < deadline, "job " + id + " is " + job.status());
            Thread.sleep(20);
        }
    }

    @Test
    void a_job_interrupted_by_a_restart_is_run_again_on_start() throws Exception {
        TestDatabases.Target db = TestDatabases.h2();
        String id = "0b8e7f10-0000-4000-8000-000000000001";
        try (Meterflow first = start(db, Map.of())) {
            ingestDay(first);
            // as the engine leaves it when it is killed mid-job: stored, marked running, no file
            ExportJobTable table = new ExportJobTable(first.store().dataSource());
            table.insert(id, request("15min"), Instant.now());
            table.running(id, Instant.now());
        }
        try (Meterflow second = start(db, Map.of())) {
            second.exportJobs().recover();
            ExportJobTable.Job job = await(second, id, "completed");
            assertEquals(96, job.recordCount());
            assertEquals(2, job.attempts());
            assertTrue(Files.exists(Path.of(job.filePath())));
        }
    }

    @Test
    void a_job_whose_request_no_longer_validates_fails_with_the_reason_after_a_restart() throws Exception {
        TestDatabases.Target db = TestDatabases.h2();
        String id = "0b8e7f10-0000-4000-8000-000000000002";
        try (Meterflow first = start(db, Map.of())) {
            new ExportJobTable(first.store().dataSource()).insert(id, request("1min").replace("ecc38a217ccc", "gone-meter"),
                    Instant.now());
        }
        try (Meterflow second = start(db, Map.of())) {
            second.exportJobs().recover();
            ExportJobTable.Job job = second.exportJobs().find(id).orElseThrow();
            assertEquals("failed", job.status());
            assertEquals("METER_NOT_FOUND", job.errorCode());
        }
    }

    @Test
    void finished_files_are_deleted_after_retention() throws Exception {
        try (Meterflow m = start(TestDatabases.h2(), Map.of())) {
            ingestDay(m);
            String id = m.exportJobs().submit(new com.fasterxml.jackson.databind.ObjectMapper().readValue(request("1hr"), Map.class));
            ExportJobTable.Job job = await(m, id, "completed");
            assertEquals(0, m.exportJobs().cleanup(), "not expired yet");
            new ExportJobTable(m.store().dataSource()).completed(id, job.filename(), job.filePath(), job.fileSizeBytes(),
                    job.recordCount(), job.periodStart(), job.periodEnd(), Instant.now(), Instant.now().minusSeconds(1));
            assertEquals(1, m.exportJobs().cleanup());
            assertFalse(Files.exists(Path.of(job.filePath())));
            assertEquals("expired", m.exportJobs().find(id).orElseThrow().status());
        }
    }

    @Test
    void a_full_queue_answers_429() throws Exception {
        try (Meterflow m = start(TestDatabases.h2(),
                Map.of(EngineSettings.EXPORT_WORKERS, "1", EngineSettings.EXPORT_MAX_QUEUED, "1"))) {
            ingestDay(m);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = new com.fasterxml.jackson.databind.ObjectMapper().readValue(request("1sec"), Map.class);
            int rejected = 0;
            for (int i = 0; i < 6; i++) {
                try {
                    m.exportJobs().submit(body);
                } catch (ApiException e) {
                    assertEquals(429, e.status());
                    assertEquals("TOO_MANY_JOBS", e.code());
                    rejected++;
                }
            }
            assertTrue(rejected >= 3, "rejected " + rejected + " of 6 with one worker and a queue of one");
        }
    }
}
