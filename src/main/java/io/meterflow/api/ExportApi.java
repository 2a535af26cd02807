package io.meterflow.api;

import io.meterflow.export.ClientContract;
import io.meterflow.export.CompositeExport;
import io.meterflow.export.ExportFiles;
import io.meterflow.export.ExportJobTable;
import io.meterflow.export.ExportJobs;
import io.meterflow.export.ExportRequest;
import io.meterflow.export.ExportRequestParser;
import io.meterflow.export.JobStatus;
import io.meterflow.export.SpillingOutput;
import io.meterflow.series.IsoTimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * Composite-CSV exports over HTTP: synchronous {@code POST /generate_csv} (the CSV server's
 * endpoint) and the asynchronous job endpoints of the export service. A synchronous export is
 * written whole before its answer starts, so a failure still gets a proper JSON error: in memory,
 * then sent in one write, or, longer than {@code inMemoryBytes}, to a temporary file streamed from
 * disk ({@link SpillingOutput}); at most {@code syncLimit} run at once (429 beyond that).
 */
public final class ExportApi {

    private final ExportRequestParser parser;
    private final CompositeExport export;
    private final ExportJobs jobs;
    private final Path tmpDir;
    private final Semaphore sync;
    private final int inMemoryBytes;

    /**
     * @param tmpDir where a synchronous export longer than {@code inMemoryBytes} is written before it is sent
     * @param syncLimit synchronous exports at once
     * @param inMemoryBytes the longest synchronous export answered from memory
     */
    public ExportApi(
            ExportRequestParser parser,
            CompositeExport export,
            ExportJobs jobs,
            Path tmpDir,
            int syncLimit,
            int inMemoryBytes) {
        this.parser = parser;
        this.export = export;
        this.jobs = jobs;
        this.tmpDir = tmpDir;
        this.sync = new Semaphore(syncLimit);
        this.inMemoryBytes = inMemoryBytes;
    }

    public ApiResponse generateCsv(String body) throws IOException {
        ExportRequest request = parser.parse(ApiResponse.parseObject(body), ClientContract.CSV_SERVER);
        if (!sync.tryAcquire()) {
            throw new ApiException(429, "TOO_MANY_REQUESTS", "too many exports are running; try again later");
        }
        SpillingOutput bytes = new SpillingOutput(tmpDir, inMemoryBytes);
        try {
            CompositeExport.Result result;
            try (bytes) {
                result = export.write(request, bytes, rows -> {});
            } catch (IOException e) {
                bytes.discard();
                throw new ApiException(
                        ExportFiles.code(e).equals("NO_SPACE") ? 507 : 500,
                        ExportFiles.code(e),
                        "the export could not be written: " + e.getMessage());
            } catch (RuntimeException e) {
                bytes.discard();
                throw e;
            }
            if (!request.includeEmpty() && Arrays.stream(result.binsWithData()).allMatch(n -> n == 0)) {
                bytes.discard();
                throw new ApiException(
                        404,
                        "NO_DATA",
                        "No data found for the requested range",
                        "no meter of the request has samples between "
                                + IsoTimes.format(request.start(), request.zone())
                                + " and " + IsoTimes.format(request.end(), request.zone())
                                + "; GET /meter_info/<meter> shows what is stored, \"include_empty\": true returns the"
                                + " empty rows");
            }
            String name = CompositeExport.fileName(request);
            return bytes.spilled()
                    ? csv(name, new FileBody(bytes.file(), true), bytes.size())
                    : csv(name, bytes.memory(), bytes.size());
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

    /**
     * {@code GET /api/export/jobs?limit=}: the latest jobs of every engine, newest first, each with
     * its status, progress, what it exports (meters, range, resolution) and its file or error.
     */
    public ApiResponse recentJobs(String limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ExportJobTable.Job job : jobs.recent(Limits.parse(limit, 20, 200))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("job_id", job.id());
            m.put("status", job.status().key());
            m.put("progress", job.progress());
            m.put("created_at", job.createdAt().toString());
            m.put("updated_at", job.updatedAt().toString());
            m.put("request", request(job.request()));
            if (job.output() != null) {
                m.put("filename", job.output().filename());
                m.put("record_count", job.output().records());
                m.put("file_size_bytes", job.output().sizeBytes());
                if (job.status() == JobStatus.COMPLETED) {
                    m.put("download_url", "/api/export/download/" + job.id());
                }
            }
            if (job.failure() != null) {
                m.put(
                        "error",
                        Map.of(
                                "code",
                                job.failure().code(),
                                "message",
                                String.valueOf(job.failure().message())));
            }
            out.add(m);
        }
        return ApiResponse.json(200, Map.of("jobs", out, "count", out.size()));
    }

    /** The stored request of a job (only its known fields are stored), or null when it cannot be read. */
    private static Object request(String stored) {
        try {
            return ApiResponse.parseObject(stored);
        } catch (ApiException e) {
            return null;
        }
    }

    /** A job's status; an unknown id is {@code 200 {"status": "not_found"}}, as the export service answered. */
    public ApiResponse jobStatus(String id) {
        ExportJobTable.Job job = jobs.find(id).orElse(null);
        if (job == null) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("status", "not_found");
            out.put("message", "Job with ID '" + id + "' not found");
            return ApiResponse.json(200, out);
        }
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
        out.put("created_at", IsoTimes.utc(job.createdAt()));
        out.put("updated_at", IsoTimes.utc(job.updatedAt()));
        if (job.status() == JobStatus.COMPLETED) {
            ExportJobTable.Output o = job.output();
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("filename", o.filename());
            file.put("download_url", "/api/export/download/" + job.id());
            file.put("file_size_bytes", o.sizeBytes());
            file.put("record_count", o.records());
            file.put("export_period", Map.of("start", o.periodStart(), "end", o.periodEnd()));
            file.put("expires_at", IsoTimes.utc(o.expiresAt()));
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
        if (job.status() != JobStatus.COMPLETED) {
            throw new ApiException(
                    404,
                    "FILE_NOT_READY",
                    "job '" + id + "' has no file (status " + job.status().key() + ")");
        }
        Path file = jobs.file(job);
        if (!Files.exists(file)) {
            throw new ApiException(
                    404,
                    "FILE_NOT_ON_THIS_ENGINE",
                    "the file of job '" + id + "' was written by engine " + job.engine()
                            + " and is not in this engine's export folder: engines serving each other's"
                            + " downloads share it (meterflow.export.dir on shared storage)");
        }
        return csv(job.output().filename(), new FileBody(file, false), Files.size(file));
    }

    private static ApiException notFound(String id) {
        return new ApiException(404, "JOB_NOT_FOUND", "Job with ID '" + id + "' not found");
    }

    private static ApiResponse csv(String filename, Object body, long size) {
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
}
