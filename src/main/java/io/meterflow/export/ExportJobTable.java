package io.meterflow.export;

import io.meterflow.store.Sql;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code export_job} table. */
public final class ExportJobTable {

    /** One job row; {@code output} is set once it completed, {@code failure} once it failed. */
    public record Job(
            String id,
            JobStatus status,
            String request,
            Instant createdAt,
            Instant updatedAt,
            int progress,
            int attempts,
            Output output,
            Failure failure) {}

    /** The file a completed job wrote, the range it covers, and when it expires. */
    public record Output(
            String filename,
            String filePath,
            Long sizeBytes,
            Long records,
            String periodStart,
            String periodEnd,
            Instant expiresAt) {}

    /** Why a job failed. */
    public record Failure(String code, String message, String details) {}

    private final DataSource ds;

    public ExportJobTable(DataSource ds) {
        this.ds = ds;
    }

    public void insert(String id, String request, Instant now) {
        Sql.update(
                ds,
                "INSERT INTO export_job (id, status, request, created_at, updated_at, progress, attempts)"
                        + " VALUES (?, ?, ?, ?, ?, 0, 0)",
                id,
                JobStatus.PENDING.key(),
                request,
                Sql.timestamp(now),
                Sql.timestamp(now));
    }

    public void running(String id, Instant now) {
        Sql.update(
                ds,
                "UPDATE export_job SET status = ?, attempts = attempts + 1, progress = 0, updated_at = ?"
                        + " WHERE id = ?",
                JobStatus.RUNNING.key(),
                Sql.timestamp(now),
                id);
    }

    public void progress(String id, int percent, Instant now) {
        Sql.update(
                ds, "UPDATE export_job SET progress = ?, updated_at = ? WHERE id = ?", percent, Sql.timestamp(now), id);
    }

    public void completed(String id, Output o, Instant now) {
        Sql.update(
                ds,
                "UPDATE export_job SET status = ?, progress = 100, filename = ?, file_path = ?,"
                        + " file_size_bytes = ?, record_count = ?, period_start = ?, period_end = ?, updated_at = ?,"
                        + " expires_at = ? WHERE id = ?",
                JobStatus.COMPLETED.key(),
                o.filename(),
                o.filePath(),
                o.sizeBytes(),
                o.records(),
                o.periodStart(),
                o.periodEnd(),
                Sql.timestamp(now),
                Sql.timestamp(o.expiresAt()),
                id);
    }

    public void failed(String id, Failure f, Instant now) {
        Sql.update(
                ds,
                "UPDATE export_job SET status = ?, error_code = ?, error_message = ?, error_details = ?,"
                        + " updated_at = ? WHERE id = ?",
                JobStatus.FAILED.key(),
                f.code(),
                truncate(f.message()),
                truncate(f.details()),
                Sql.timestamp(now),
                id);
    }

    public void expired(String id, Instant now) {
        Sql.update(
                ds,
                "UPDATE export_job SET status = ?, file_path = NULL, updated_at = ? WHERE id = ?",
                JobStatus.EXPIRED.key(),
                Sql.timestamp(now),
                id);
    }

    public Optional<Job> find(String id) {
        return Sql.query(ds, "SELECT * FROM export_job WHERE id = ?", 1, ExportJobTable::job, id).stream()
                .findFirst();
    }

    /** Jobs a restart interrupted: pending or running. */
    public List<Job> unfinished() {
        return Sql.query(
                ds,
                "SELECT * FROM export_job WHERE status IN (?, ?) ORDER BY created_at",
                0,
                ExportJobTable::job,
                JobStatus.PENDING.key(),
                JobStatus.RUNNING.key());
    }

    public List<Job> completedBefore(Instant cutoff) {
        return Sql.query(
                ds,
                "SELECT * FROM export_job WHERE status = ? AND expires_at < ?",
                0,
                ExportJobTable::job,
                JobStatus.COMPLETED.key(),
                Sql.timestamp(cutoff));
    }

    private static Job job(ResultSet rs) throws SQLException {
        Output output = rs.getString("filename") == null
                ? null
                : new Output(
                        rs.getString("filename"),
                        rs.getString("file_path"),
                        rs.getObject("file_size_bytes", Long.class),
                        rs.getObject("record_count", Long.class),
                        rs.getString("period_start"),
                        rs.getString("period_end"),
                        Sql.instant(rs, "expires_at"));
        Failure failure = rs.getString("error_code") == null
                ? null
                : new Failure(rs.getString("error_code"), rs.getString("error_message"), rs.getString("error_details"));
        return new Job(
                rs.getString("id"),
                JobStatus.of(rs.getString("status")),
                rs.getString("request"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"),
                rs.getInt("progress"),
                rs.getInt("attempts"),
                output,
                failure);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
