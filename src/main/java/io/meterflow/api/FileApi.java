package io.meterflow.api;

import io.meterflow.series.IsoTimes;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.source.file.IngestedFiles;
import io.meterflow.source.file.RejectedFiles;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The files of the inbox: {@code GET /api/files?status=&limit=} (the latest files ingested and
 * rejected, from the ledger, each rejection with its reason and whether its file is still in
 * {@code inbox/.error}) and {@code POST /api/files/{id}/requeue} (a rejected file, fixed where it
 * lies, moved back into the inbox to be read again).
 */
public final class FileApi {

    private final IngestedFiles ledger;
    private final RejectedFiles rejected;
    private final MeterRegistry registry;

    public FileApi(IngestedFiles ledger, RejectedFiles rejected, MeterRegistry registry) {
        this.ledger = ledger;
        this.rejected = rejected;
        this.registry = registry;
    }

    public ApiResponse files(String status, String limit) {
        IngestedFiles.Status wanted = null;
        if (status != null && !status.isBlank()) {
            try {
                wanted = IngestedFiles.Status.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("INVALID_STATUS", "status is 'ingested' or 'rejected'");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (IngestedFiles.Recorded r : ledger.recent(wanted, Limits.parse(limit, 100, 1000))) {
            out.add(file(r));
        }
        return ApiResponse.json(200, Map.of("files", out, "count", out.size()));
    }

    public ApiResponse requeue(String id) throws IOException {
        long n;
        try {
            n = Long.parseLong(id.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("INVALID_FILE_ID", "a file id is a whole number: " + id);
        }
        IngestedFiles.Recorded r = ledger.find(n)
                .orElseThrow(() -> new ApiException(404, "FILE_NOT_FOUND", "no file with id " + n + " in the ledger"));
        switch (rejected.requeue(r)) {
            case NOT_REJECTED ->
                throw new ApiException(409, "NOT_REJECTED", "file " + n + " was ingested, not rejected");
            case GONE ->
                throw new ApiException(
                        404,
                        "FILE_GONE",
                        "file " + r.path() + " is no longer in inbox/.error (re-queued already, or removed)");
            case ALREADY_WAITING ->
                throw new ApiException(
                        409, "ALREADY_IN_INBOX", "a file " + r.path() + " is waiting in the inbox already");
            case REQUEUED -> {
                // answered below
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", n);
        body.put("path", r.path());
        body.put("status", "requeued");
        return ApiResponse.json(200, body);
    }

    private Map<String, Object> file(IngestedFiles.Recorded r) {
        Meter meter = r.meterId().isEmpty() ? null : registry.find(r.meterId());
        ZoneId zone = meter == null ? ZoneOffset.UTC : meter.zone();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("recorded_at", r.recordedAt().toString());
        m.put("meter", r.meterId().isEmpty() ? null : r.meterId());
        m.put("path", r.path());
        m.put("size_bytes", r.sizeBytes());
        m.put("status", r.status().key());
        m.put("reason", r.reason());
        m.put("rows", r.rows());
        m.put("samples", r.samplesWritten());
        m.put(
                "first_sample",
                r.firstMillis() == null ? null : IsoTimes.format(Instant.ofEpochMilli(r.firstMillis()), zone));
        m.put(
                "last_sample",
                r.lastMillis() == null ? null : IsoTimes.format(Instant.ofEpochMilli(r.lastMillis()), zone));
        if (r.status() == IngestedFiles.Status.REJECTED) {
            m.put("in_error_folder", rejected.present(r.path()));
        }
        return m;
    }
}
