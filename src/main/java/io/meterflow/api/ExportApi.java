package io.meterflow.api;

import io.meterflow.export.CompositeExport;
import io.meterflow.export.ExportJobTable;
import io.meterflow.export.ExportJobs;
import io.meterflow.export.ExportRequest;
import io.meterflow.export.ExportRequestParser;
import io.meterflow.export.JobStatus;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Composite-CSV exports over HTTP: synchronous {@code POST /generate_csv} (the CSV server's
 * endpoint) and the asynchronous job endpoints of the export service. A synchronous export is
 * written to a temporary file first, so a failure still gets a proper JSON error, and it is then
 * streamed from disk; at most {@code syncLimit} run at once (429 beyond that).
 */
public final class ExportApi {

    private final ExportRequestParser parser;
    private final CompositeExport export;
    private final ExportJobs jobs;
    private final Path tmpDir;
    private final Semaphore sync;

    public ExportApi(ExportRequestParser parser, CompositeExport export, ExportJobs jobs, Path tmpDir, int syncLimit) {
        this.parser = parser;
        this.export = export;
        this.jobs = jobs;
        this.tmpDir = tmpDir;
        this.sync = new Semaphore(syncLimit);
    }

    public ApiResponse generateCsv(String body) throws IOException {
        ExportRequest request = parser.parse(ApiResponse.parseObject(body));
        if (!sync.tryAcquire()) {
            throw new ApiException(429, "TOO_MANY_REQUESTS", "too many exports are running; try again later");
        }
        try {
            Files.createDirectories(tmpDir);
            Path tmp = Files.createTempFile(tmpDir, "export-", ".csv");
            try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                export.write(request, out, rows -> {});
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return csv(CompositeExport.fileName(request), new DeletingInputStream(tmp), Files.size(tmp));
        } finally {
            sync.release();
        }
    }

    public ApiResponse createJob(String body) {
        String id = jobs.submit(ApiResponse.parseObject(body));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", id);
        out.put("status", "pending");
        out.put("message", "Export job created successfully");
        return ApiResponse.json(200, out);
    }

    public ApiResponse jobStatus(String id) {
        ExportJobTable.Job job = jobs.find(id).orElseThrow(() -> notFound(id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", job.id());
        out.put("status", job.status().key());
        out.put(
                "message",
                switch (job.status()) {
                    case PENDING -> "Job is queued";
                    case RUNNING -> "Job is being processed";
                    case COMPLETED -> "Export completed successfully";
                    case EXPIRED -> "The export file has been removed after its retention time";
                    case FAILED -> "Export failed";
                });
        out.put("progress", job.progress());
        out.put("created_at", job.createdAt().toString());
        out.put("updated_at", job.updatedAt().toString());
        if (job.status() == JobStatus.COMPLETED) {
            ExportJobTable.Output o = job.output();
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("filename", o.filename());
            file.put("download_url", "/api/export/download/" + job.id());
            file.put("file_size_bytes", o.sizeBytes());
            file.put("record_count", o.records());
            file.put("export_period", Map.of("start", o.periodStart(), "end", o.periodEnd()));
            file.put("expires_at", o.expiresAt().toString());
            out.put("file_info", file);
        }
        if (job.status() == JobStatus.FAILED) {
            ExportJobTable.Failure f = job.failure();
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", f.code());
            error.put("message", f.message());
            error.put("details", f.details());
            out.put("error", error);
        }
        return ApiResponse.json(200, out);
    }

    public ApiResponse download(String id) throws IOException {
        ExportJobTable.Job job = jobs.find(id).orElseThrow(() -> notFound(id));
        if (job.status() == JobStatus.EXPIRED) {
            throw new ApiException(
                    410, "FILE_EXPIRED", "the file of job '" + id + "' was removed after its retention time");
        }
        ExportJobTable.Output o = job.output();
        if (job.status() != JobStatus.COMPLETED || o.filePath() == null || !Files.exists(Path.of(o.filePath()))) {
            throw new ApiException(
                    404,
                    "FILE_NOT_READY",
                    "job '" + id + "' has no file (status " + job.status().key() + ")");
        }
        Path file = Path.of(o.filePath());
        return csv(o.filename(), new FileInputStream(file.toFile()), Files.size(file));
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "JOB_NOT_FOUND", "Job with ID '" + id + "' not found");
    }

    private static ApiResponse csv(String filename, InputStream body, long size) {
        return new ApiResponse(
                200,
                "text/csv; charset=utf-8",
                body,
                Map.of(
                        "Content-Disposition",
                        "attachment; filename=\"" + filename + "\"",
                        "Content-Length",
                        Long.toString(size)));
    }

    /** A temporary file's stream that deletes the file once read and closed. */
    private static final class DeletingInputStream extends FileInputStream {
        private final Path path;

        DeletingInputStream(Path path) throws IOException {
            super(path.toFile());
            this.path = path;
        }

        @Override
        public void close() throws IOException {
            super.close();
            Files.deleteIfExists(path);
        }
    }
}
