package io.meterflow.api;

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

import io.meterflow.export.CompositeExport;
import io.meterflow.export.ExportJobs;
import io.meterflow.export.ExportRequest;
import io.meterflow.export.ExportRequestParser;
import io.meterflow.store.ExportJobTable;

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
                export.write(request, out, rows -> { });
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
        out.put("status", job.status());
        out.put("message", switch (job.status()) {
            case "pending" -> "Job is queued";
            case "running" -> "Job is being processed";
            case "completed" -> "Export completed successfully";
            case "expired" -> "The export file has been removed after its retention time";
            default -> "Export failed";
        });
        out.put("progress", job.progress());
        out.put("created_at", job.createdAt().toString());
        out.put("updated_at", job.updatedAt().toString());
        if (job.status().equals("completed")) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("filename", job.filename());
            file.put("download_url", "/api/export/download/" + job.id());
            file.put("file_size_bytes", job.fileSizeBytes());
            file.put("record_count", job.recordCount());
            file.put("export_period", Map.of("start", job.periodStart(), "end", job.periodEnd()));
            file.put("expires_at", job.expiresAt().toString());
            out.put("file_info", file);
        }
        if (job.status().equals("failed")) {
            Map<String, Object> error = new LinkedHashMap<>();
            error.put("code", job.errorCode());
            error.put("message", job.errorMessage());
            error.put("details", job.errorDetails());
            out.put("error", error);
        }
        return ApiResponse.json(200, out);
    }

    public ApiResponse download(String id) throws IOException {
        ExportJobTable.Job job = jobs.find(id).orElseThrow(() -> notFound(id));
        if (job.status().equals("expired")) {
            throw new ApiException(410, "FILE_EXPIRED", "the file of job '" + id + "' was removed after its retention time");
        }
        if (!job.status().equals("completed") || job.filePath() == null || !Files.exists(Path.of(job.filePath()))) {
            throw new ApiException(404, "FILE_NOT_READY", "job '" + id + "' has no file (status " + job.status() + ")");
        }
        Path file = Path.of(job.filePath());
        return csv(job.filename(), new FileInputStream(file.toFile()), Files.size(file));
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "JOB_NOT_FOUND", "Job with ID '" + id + "' not found");
    }

    private static ApiResponse csv(String filename, InputStream body, long size) {
        return new ApiResponse(200, "text/csv; charset=utf-8", body, Map.of(
                "Content-Disposition", "attachment; filename=\"" + filename + "\"",
                "Content-Length", Long.toString(size)));
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
