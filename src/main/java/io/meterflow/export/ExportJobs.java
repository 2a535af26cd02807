package io.meterflow.export;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.series.IsoTimes;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asynchronous exports on a bounded worker pool. A job is stored before it is queued, so it
 * survives a restart: on start, jobs left pending or running are run again (a job whose request
 * no longer validates fails with the reason). Finished files are kept for the retention time,
 * then deleted by {@link #cleanup()}.
 */
public final class ExportJobs implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExportJobs.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    private final ExportJobTable table;
    private final ExportRequestParser parser;
    private final CompositeExport export;
    private final Path dir;
    private final Duration retention;
    private final ThreadPoolExecutor pool;
    private final ObjectMapper json = new ObjectMapper();

    public ExportJobs(
            ExportJobTable table,
            ExportRequestParser parser,
            CompositeExport export,
            Path dir,
            int workers,
            int maxQueued,
            Duration retention) {
        this.table = table;
        this.parser = parser;
        this.export = export;
        this.dir = dir;
        this.retention = retention;
        this.pool = new ThreadPoolExecutor(
                workers, workers, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(maxQueued), r -> {
                    Thread t = new Thread(r, "export-worker");
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Validates and queues a job; its id. Busy ({@code TOO_MANY_JOBS}) when the queue is full. */
    public String submit(Map<String, Object> body) {
        ExportRequest request = parser.parse(body);
        if (pool.getQueue().remainingCapacity() == 0) {
            throw tooMany();
        }
        String id = UUID.randomUUID().toString();
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (IOException e) {
            throw ExportException.invalid("INVALID_BODY", "request body cannot be stored: " + e.getMessage());
        }
        table.insert(id, text, Instant.now());
        try {
            pool.execute(() -> run(id, request));
        } catch (RejectedExecutionException e) {
            table.failed(
                    id, new ExportJobTable.Failure("TOO_MANY_JOBS", "the export queue was full", null), Instant.now());
            throw tooMany();
        }
        return id;
    }

    /** Re-runs the jobs a restart interrupted. */
    public void recover() {
        for (ExportJobTable.Job job : table.unfinished()) {
            try {
                ExportRequest request = parser.parse(json.readValue(job.request(), MAP));
                LOG.info("export job resumed after restart job={} attempts={}", job.id(), job.attempts());
                pool.execute(() -> run(job.id(), request));
            } catch (ExportException e) {
                table.failed(
                        job.id(),
                        new ExportJobTable.Failure(
                                e.code(), e.getMessage(), "the request no longer validates after a restart"),
                        Instant.now());
            } catch (IOException | RejectedExecutionException e) {
                table.failed(
                        job.id(),
                        new ExportJobTable.Failure(
                                "INTERRUPTED", "interrupted by a restart and could not be resumed: " + e, null),
                        Instant.now());
            }
        }
    }

    /** Deletes the files of jobs past their retention. */
    public int cleanup() {
        int n = 0;
        for (ExportJobTable.Job job : table.completedBefore(Instant.now())) {
            try {
                if (job.output() != null && job.output().filePath() != null) {
                    Path file = Path.of(job.output().filePath());
                    Files.deleteIfExists(file);
                    Files.deleteIfExists(file.getParent());
                }
                table.expired(job.id(), Instant.now());
                n++;
            } catch (IOException e) {
                LOG.warn(
                        "cannot delete export file job={} file={}: {}",
                        job.id(),
                        job.output().filePath(),
                        e.toString());
            }
        }
        return n;
    }

    public Optional<ExportJobTable.Job> find(String id) {
        return table.find(id);
    }

    private void run(String id, ExportRequest request) {
        table.running(id, Instant.now());
        long total = Math.max(1, request.rowCount());
        long[] lastUpdate = {System.nanoTime()};
        try {
            Path folder = dir.resolve(id);
            Files.createDirectories(folder);
            String name = CompositeExport.fileName(request);
            Path tmp = folder.resolve(name + ".tmp");
            CompositeExport.Result result;
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                result = export.write(request, out, rows -> {
                    if (System.nanoTime() - lastUpdate[0] > 1_000_000_000L) {
                        lastUpdate[0] = System.nanoTime();
                        table.progress(id, (int) Math.min(99, rows * 100 / total), Instant.now());
                    }
                });
            }
            Path file = folder.resolve(name);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Instant now = Instant.now();
            table.completed(
                    id,
                    new ExportJobTable.Output(
                            name,
                            file.toString(),
                            Files.size(file),
                            result.rows(),
                            IsoTimes.format(request.start(), request.zone()),
                            IsoTimes.format(request.end(), request.zone()),
                            now.plus(retention)),
                    now);
            LOG.info("export job completed job={} file={} rows={}", id, name, result.rows());
        } catch (Exception e) {
            LOG.warn("export job failed job={}: {}", id, e.toString());
            table.failed(
                    id,
                    new ExportJobTable.Failure(
                            "EXPORT_FAILED",
                            "Export failed: " + e.getMessage(),
                            e.getClass().getSimpleName()),
                    Instant.now());
        }
    }

    private static ExportException tooMany() {
        return ExportException.busy("TOO_MANY_JOBS", "too many export jobs are queued; try again later");
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
