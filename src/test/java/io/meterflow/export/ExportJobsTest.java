package io.meterflow.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.settings.Setting;
import io.meterflow.store.Sql;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
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
    void a_job_whose_engine_died_is_queued_again_and_run_once() throws Exception {
        TestDatabases.Target db = TestDatabases.h2();
        String id = "0b8e7f10-0000-4000-8000-000000000001";
        String alive = "0b8e7f10-0000-4000-8000-000000000003";
        try (Engine first = start(db, Map.of())) {
            ingestDay(first);
            // as an engine leaves it when it is killed mid-job: stored, marked running, no file
            JobRows.running(first.dataSource(), id, request("15min"), JobRows.DEAD_ENGINE);
            // a job another engine is running right now: its heartbeat is fresh
            Sql.update(
                    first.dataSource(),
                    "INSERT INTO engine (name, host, started_at, beat_at) VALUES ('7@other-host', 'other-host', ?, ?)",
                    Timestamp.from(Instant.now()),
                    Timestamp.from(Instant.now()));
            JobRows.running(first.dataSource(), alive, request("1hr"), "7@other-host");
        }
        try (Engine second = start(db, Map.of())) {
            assertEquals(1, second.exportJobs().recover(), "only the dead engine's job");
            ExportJobTable.Job job = awaitStatus(second, id, JobStatus.COMPLETED);
            assertEquals(96, job.output().records());
            assertEquals(2, job.attempts());
            assertEquals(second.heartbeats().self().name(), job.engine());
            assertEquals(97, Files.readAllLines(second.exportJobs().file(job)).size());
            assertEquals(0, second.exportJobs().recover(), "nothing left to take");
            ExportJobTable.Job other = second.exportJobs().find(alive).orElseThrow();
            assertEquals(JobStatus.RUNNING, other.status(), "a live engine's job is left to it");
            assertEquals("7@other-host", other.engine());
        }
    }

    @Test
    void a_job_whose_request_no_longer_validates_fails_with_the_reason_after_a_restart() throws Exception {
        TestDatabases.Target db = TestDatabases.h2();
        String id = "0b8e7f10-0000-4000-8000-000000000002";
        try (Engine first = start(db, Map.of())) {
            JobRows.running(
                    first.dataSource(), id, request("1min").replace("ecc38a217ccc", "gone-meter"), JobRows.DEAD_ENGINE);
        }
        try (Engine second = start(db, Map.of())) {
            second.exportJobs().recover();
            ExportJobTable.Job job = awaitStatus(second, id, JobStatus.FAILED);
            // the export service's code for a job whose meter is gone
            assertEquals("SMART_METER_NOT_FOUND", job.failure().code());
        }
    }

    @Test
    void finished_files_are_deleted_after_retention() throws Exception {
        try (Engine m = start(TestDatabases.h2(), Map.of())) {
            ingestDay(m);
            String id = m.exportJobs().submit(new ObjectMapper().readValue(request("1hr"), Map.class));
            ExportJobTable.Job job = awaitStatus(m, id, JobStatus.COMPLETED);
            assertEquals(0, m.exportJobs().cleanup(), "not expired yet");
            Path file = m.exportJobs().file(job);
            assertTrue(Files.exists(file));
            JobRows.expires(m.dataSource(), id, Instant.now().minusSeconds(1));
            assertEquals(1, m.exportJobs().cleanup());
            assertFalse(Files.exists(file));
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
