package io.meterflow.export;

import io.meterflow.store.Sql;
import java.sql.Timestamp;
import java.time.Instant;
import javax.sql.DataSource;

/** Rows of table export_job as an engine leaves them, written directly (no worker can take them first). */
final class JobRows {

    /** An engine that no longer runs: no heartbeat row, another host. */
    static final String DEAD_ENGINE = "4242@gone-host";

    private JobRows() {}

    /** A job an engine was running when it died: stored, marked running, no file. */
    static void running(DataSource ds, String id, String request, String engine) {
        Sql.update(
                ds,
                "INSERT INTO export_job (id, status, request, created_at, updated_at, progress, attempts, engine)"
                        + " VALUES (?, 'running', ?, ?, ?, 40, 1, ?)",
                id,
                request,
                Timestamp.from(Instant.now()),
                Timestamp.from(Instant.now()),
                engine);
    }

    /** A completed job whose file expires at {@code expiresAt}. */
    static void completed(DataSource ds, String id, String filename, String filePath, Instant expiresAt) {
        Sql.update(
                ds,
                "INSERT INTO export_job (id, status, request, created_at, updated_at, progress, attempts, engine,"
                        + " filename, file_path, file_size_bytes, record_count, period_start, period_end, expires_at)"
                        + " VALUES (?, 'completed', '{}', ?, ?, 100, 1, ?, ?, ?, 13, 0, 'a', 'b', ?)",
                id,
                Timestamp.from(Instant.now()),
                Timestamp.from(Instant.now()),
                DEAD_ENGINE,
                filename,
                filePath,
                Timestamp.from(expiresAt));
    }

    /** Moves a job's expiry. */
    static void expires(DataSource ds, String id, Instant expiresAt) {
        Sql.update(ds, "UPDATE export_job SET expires_at = ? WHERE id = ?", Timestamp.from(expiresAt), id);
    }
}
