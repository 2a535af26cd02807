package io.meterflow.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.settings.Setting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export jobs across engine restarts, retention and the bounded queue. */
class ExportJobsTest {

    @TempDir
    Path dir;

    private Engine start(TestDatabases.Target db, Map<String, String> extra) {
        return TestEngines.start(dir, db, extra);
    }

    private void ingestDay(Engine m) throws Exception {
        Path csv = dir.resolve("inbox/ecc38a217ccc/day.csv");
        Files.createDirectories(csv.getParent());
        StringBuilder sb = new StringBuilder("timestamp,kw\n");
        for (int s = 0; s < 86_400; s += 10) {
            sb.append(Instant.parse("2025-01-06T05:00:00Z").plusSeconds(s))
                    .append(',')
                    .append(s % 100)
                    .append('\n');
        }
        Files.writeString(csv, sb);
        assertTrue(m.fileIngestor().ingestDropped(csv.toFile()).ingested());
    }

    private static String request(String resolution) {
        return "{\"mac_address\":\"ecc38a217ccc\",\"start_datetime\":\"2025-01-06T00:00:00\","
                + "\"end_datetime\":\"2025-01-06T23:59:59\",\"resolution\":\"" + resolution + "\"}";
    }

    private static ExportJobTable.Job awaitStatus(Engine m, String id, JobStatus status) {
        return Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(20))
                .alias("job " + id)
                .until(() -> m.exportJobs().find(id).orElseThrow(), job -> job.status() == status);
    }

    @Test
    void a_job_interrupted_by_a_restart_is_run_again_on_start() throws Exception {
        TestDatabases.Target db = TestDatabases.h2();
        String id = "0b8e7f10-0000-4000-8000-000000000001";
        try (Engine first = start(db, Map.of())) {
            ingestDay(first);
            // as the engine leaves it when it is killed mid-job: stored, marked running, no file
            ExportJobTable table = new ExportJobTable(first.store().dataSource());
            table.insert(id, request("15min"), Instant.now());
            table.running(id, Instant.now());
        }
        try (Engine second = start(db, Map.of())) {
            second.exportJobs().recover();
            ExportJobTable.Job job = awaitStatus(second, id, JobStatus.COMPLETED);
            assertEquals(96, job.output().records());
            assertEquals(2, job.attempts());
            assertTrue(Files.exists(Path.of(job.output().filePath())));
        }
    }

    @Test
    void a_job_whose_request_no_longer_validates_fails_with_the_reason_after_a_restart() throws Exception {
        TestDatabases.Target db = TestDatabases.h2();
        String id = "0b8e7f10-0000-4000-8000-000000000002";
        try (Engine first = start(db, Map.of())) {
            new ExportJobTable(first.store().dataSource())
                    .insert(id, request("1min").replace("ecc38a217ccc", "gone-meter"), Instant.now());
        }
        try (Engine second = start(db, Map.of())) {
            second.exportJobs().recover();
            ExportJobTable.Job job = second.exportJobs().find(id).orElseThrow();
            assertEquals(JobStatus.FAILED, job.status());
            assertEquals("METER_NOT_FOUND", job.failure().code());
        }
    }

    @Test
    void finished_files_are_deleted_after_retention() throws Exception {
        try (Engine m = start(TestDatabases.h2(), Map.of())) {
            ingestDay(m);
            String id = m.exportJobs().submit(new ObjectMapper().readValue(request("1hr"), Map.class));
            ExportJobTable.Job job = awaitStatus(m, id, JobStatus.COMPLETED);
            assertEquals(0, m.exportJobs().cleanup(), "not expired yet");
            ExportJobTable.Output o = job.output();
            new ExportJobTable(m.dataSource())
                    .completed(
                            id,
                            new ExportJobTable.Output(
                                    o.filename(),
                                    o.filePath(),
                                    o.sizeBytes(),
                                    o.records(),
                                    o.periodStart(),
                                    o.periodEnd(),
                                    Instant.now().minusSeconds(1)),
                            Instant.now());
            assertEquals(1, m.exportJobs().cleanup());
            assertFalse(Files.exists(Path.of(o.filePath())));
            assertEquals(
                    JobStatus.EXPIRED, m.exportJobs().find(id).orElseThrow().status());
        }
    }

    @Test
    void a_full_queue_refuses_more_jobs_as_busy() throws Exception {
        try (Engine m = start(
                TestDatabases.h2(), Map.of(Setting.EXPORT_WORKERS.key(), "1", Setting.EXPORT_MAX_QUEUED.key(), "1"))) {
            ingestDay(m);
            @SuppressWarnings("unchecked")
            Map<String, Object> body = new ObjectMapper().readValue(request("1sec"), Map.class);
            int rejected = 0;
            for (int i = 0; i < 6; i++) {
                try {
                    m.exportJobs().submit(body);
                } catch (ExportException e) {
                    assertEquals(ExportException.Kind.BUSY, e.kind());
                    assertEquals("TOO_MANY_JOBS", e.code());
                    rejected++;
                }
            }
            assertTrue(rejected >= 3, "rejected " + rejected + " of 6 with one worker and a queue of one");
        }
    }
}
