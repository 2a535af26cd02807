package io.meterflow.export;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.IsoTimes;
import io.meterflow.store.EngineHeartbeats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous exports. A job is stored in table {@code export_job}, the queue every engine on the
 * database shares, before its id is answered; each engine's workers take the oldest pending job
 * ({@link ExportJobTable#claimNext}), so a job runs on exactly one engine, and a worker is woken at
 * once by a job submitted on its own engine and otherwise looks every second. The job records
 * the engine running it: when that engine dies (its heartbeat stops, or its process is gone)
 * {@link #recover()} puts the job back in the queue for any engine. Finished files are written
 * under {@code <export dir>/<job id>/} and kept for the retention time, then deleted by
 * {@link #cleanup()}; with the export folder on storage all engines share, any engine serves any
 * job's file.
 */
public final class ExportJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportJobs.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final long LOOK_EVERY_MILLIS = 1_000;

    private final ExportJobTable table;
    private final ExportRequestParser parser;
    private final CompositeExport export;
    private final EngineHeartbeats engines;
    private final Path dir;
    private final int maxQueued;
    private final Duration retention;
    private final Metrics metrics;
    private final List<Thread> workers = new ArrayList<>();
    private final Semaphore submitted = new Semaphore(0);
    private final ObjectMapper json = new ObjectMapper();
    private volatile boolean closed;

    public ExportJobs(
            ExportJobTable table,
            ExportRequestParser parser,
            CompositeExport export,
            EngineHeartbeats engines,
            Path dir,
            int workers,
            int maxQueued,
            Duration retention,
            Metrics metrics) {
        this.table = table;
        this.parser = parser;
        this.export = export;
        this.engines = engines;
        this.dir = dir;
        this.maxQueued = maxQueued;
        this.retention = retention;
        this.metrics = metrics;
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, "export-worker-" + (i + 1));
            t.setDaemon(true);
            this.workers.add(t);
        }
    }

    /** Starts the workers. */
    public void start() {
        workers.forEach(Thread::start);
    }

    /**
     * Validates and stores a job; its id. Busy ({@code TOO_MANY_JOBS}) when {@code max-queued} jobs
     * are already waiting (on all engines).
     */
    public String submit(Map<String, Object> body) {
        parser.parse(body, ClientContract.EXPORT_SERVICE);
        if (table.pendingCount() >= maxQueued) {
            throw ExportException.busy("TOO_MANY_JOBS", "too many export jobs are queued; try again later");
        }
        String id = UUID.randomUUID().toString();
        Map<String, Object> known = new LinkedHashMap<>();
        for (String field : ExportRequestParser.FIELDS) {
            if (body.containsKey(field)) {
                known.put(field, body.get(field));
            }
        }
        String text;
        try {
            text = json.writeValueAsString(known);
        } catch (IOException e) {
            throw ExportException.invalid("INVALID_BODY", "request body cannot be stored: " + e.getMessage());
        }
        table.insert(id, text, Instant.now());
        submitted.release();
        return id;
    }

    /**
     * Puts back in the queue the jobs whose engine died while running them (this engine's own
     * earlier process included); any engine's worker then takes them.
     *
     * @return how many were put back
     */
    public int recover() {
        int n = 0;
        for (ExportJobTable.Job job : table.running()) {
            if (engines.gone(job.engine()) && table.requeue(job.id(), job.engine(), Instant.now())) {
                LOG.info(
                        "export job queued again: its engine {} stopped job={} attempts={}",
                        job.engine(),
                        job.id(),
                        job.attempts());
                submitted.release();
                n++;
            }
        }
        return n;
    }

    /** Deletes the files of jobs past their retention. */
    public int cleanup() {
        int n = 0;
        for (ExportJobTable.Job job : table.completedBefore(Instant.now())) {
            Path file = file(job);
            try {
                Files.deleteIfExists(file);
                Files.deleteIfExists(file.getParent());
                table.expired(job.id(), Instant.now());
                n++;
            } catch (IOException e) {
                LOG.warn("cannot delete export file job={} file={}: {}", job.id(), file, e.toString());
            }
        }
        return n;
    }

    /** The latest {@code limit} jobs, newest first. */
    public List<ExportJobTable.Job> recent(int limit) {
        return table.recent(limit);
    }

    /** Jobs of each status on all engines (pending ones are the queue). */
    public Map<JobStatus, Long> countByStatus() {
        return table.countByStatus();
    }

    public Optional<ExportJobTable.Job> find(String id) {
        return table.find(id);
    }

    /** Where the file of a completed job is: in this engine's export folder, under the job's id. */
    public Path file(ExportJobTable.Job job) {
        return dir.resolve(job.id()).resolve(job.output().filename());
    }

    /** A worker: takes the oldest pending job and runs it, until the engine stops. */
    private void work() {
        String self = engines.self().name();
        while (!closed) {
            try {
                Optional<ExportJobTable.Job> job = table.claimNext(self, Instant.now());
                if (job.isPresent()) {
                    run(job.get(), self);
                } else {
                    submitted.tryAcquire(LOOK_EVERY_MILLIS, TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // the database unavailable: the queue is looked at again after a pause
                LOG.debug("export worker cannot take a job: {}", e.toString());
                try {
                    Thread.sleep(LOOK_EVERY_MILLIS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private void run(ExportJobTable.Job job, String self) {
        long started = System.nanoTime();
        runOnce(job, self);
        ExportJobTable.Job after = table.find(job.id()).orElse(null);
        if (after != null && (after.status() == JobStatus.COMPLETED || after.status() == JobStatus.FAILED)) {
            metrics.exportJob(after.status().key(), System.nanoTime() - started);
        }
    }

    private void runOnce(ExportJobTable.Job job, String self) {
        String id = job.id();
        if (job.attempts() > 1) {
            LOG.info("export job resumed job={} attempts={}", id, job.attempts());
        }
        ExportRequest request;
        try {
            request = parser.parse(json.readValue(job.request(), MAP), ClientContract.EXPORT_SERVICE);
        } catch (ExportException e) {
            table.failed(
                    id,
                    self,
                    new ExportJobTable.Failure(e.code(), e.getMessage(), "the request no longer validates"),
                    Instant.now());
            return;
        } catch (IOException e) {
            table.failed(
                    id,
                    self,
                    new ExportJobTable.Failure("INVALID_BODY", "the stored request cannot be read: " + e, null),
                    Instant.now());
            return;
        }
        long total = Math.max(1, request.rowCount());
        long[] lastUpdate = {System.nanoTime()};
        Path folder = dir.resolve(id);
        try {
            Files.createDirectories(folder);
            String name = CompositeExport.fileName(request);
            Path file = folder.resolve(name);
            CompositeExport.Result result = ExportFiles.writeAtomically(
                    file,
                    null,
                    out -> export.write(request, out, rows -> {
                        if (System.nanoTime() - lastUpdate[0] > 1_000_000_000L) {
                            lastUpdate[0] = System.nanoTime();
                            table.progress(id, self, (int) Math.min(99, rows * 100 / total), Instant.now());
                        }
                    }));
            Instant now = Instant.now();
            boolean recorded = table.completed(
                    id,
                    self,
                    new ExportJobTable.Output(
                            name,
                            file.toString(),
                            Files.size(file),
                            result.rows(),
                            IsoTimes.utc(request.start()),
                            IsoTimes.utc(request.end()),
                            now.plus(retention)),
                    now);
            if (recorded) {
                LOG.info("export job completed job={} file={} rows={}", id, name, result.rows());
            } else {
                LOG.warn("export job finished here but was taken over by another engine meanwhile job={}", id);
            }
        } catch (Exception e) {
            LOG.warn("export job failed job={}: {}", id, e.toString());
            deleteEmpty(folder);
            table.failed(
                    id,
                    self,
                    new ExportJobTable.Failure(
                            ExportFiles.code(e),
                            "Export failed: " + e.getMessage(),
                            e.getClass().getSimpleName()),
                    Instant.now());
        }
    }

    /** Removes a job's folder when a failure left it empty. */
    private static void deleteEmpty(Path folder) {
        try {
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // not empty, or already gone: either way nothing to give back
        }
    }

    @Override
    public void close() {
        closed = true;
        workers.forEach(Thread::interrupt);
    }
}
