package io.meterflow.export;

import io.meterflow.store.Sql;
import io.meterflow.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The {@code export_job} table: the queue of export jobs shared by every engine on the database. */
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
            String engine,
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

    /**
     * Takes the oldest pending job for {@code engine}: it becomes running and owned by that engine.
     * Engines and workers racing for jobs skip the rows another one is taking, and each job goes
     * to exactly one of them.
     *
     * @return the job taken, or empty when none is pending
     */
    public Optional<Job> claimNext(String engine, Instant now) {
        String id;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                id = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT id FROM export_job WHERE status = ?"
                        + " ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED")) {
                    ps.setString(1, JobStatus.PENDING.key());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            id = rs.getString(1);
                        }
                    }
                }
                if (id != null) {
                    try (PreparedStatement up = c.prepareStatement("UPDATE export_job SET status = ?, engine = ?,"
                            + " attempts = attempts + 1, progress = 0, updated_at = ? WHERE id = ? AND status = ?")) {
                        up.setString(1, JobStatus.RUNNING.key());
                        up.setString(2, engine);
                        up.setTimestamp(3, Sql.timestamp(now));
                        up.setString(4, id);
                        up.setString(5, JobStatus.PENDING.key());
                        if (up.executeUpdate() != 1) {
                            id = null;
                        }
                    }
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot take an export job", e);
        }
        return id == null ? Optional.empty() : find(id);
    }

    /** How many jobs there are of each status (on all engines); statuses without jobs are absent. */
    public Map<JobStatus, Long> countByStatus() {
        Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
        for (Object[] row : Sql.query(ds, "SELECT status, COUNT(*) FROM export_job GROUP BY status", 0, rs ->
                new Object[] {rs.getString(1), rs.getLong(2)})) {
            counts.put(JobStatus.of((String) row[0]), (Long) row[1]);
        }
        return counts;
    }

    /** Jobs waiting for a worker, on all engines. */
    public long pendingCount() {
        return Sql.queryLong(ds, "SELECT COUNT(*) FROM export_job WHERE status = ?", JobStatus.PENDING.key());
    }

    /** A running job whose engine died goes back to the queue; false when it is no longer that engine's. */
    public boolean requeue(String id, String deadEngine, Instant now) {
        String owner = deadEngine == null ? "engine IS NULL" : "engine = ?";
        Object[] args = deadEngine == null
                ? new Object[] {JobStatus.PENDING.key(), Sql.timestamp(now), id, JobStatus.RUNNING.key()}
                : new Object[] {JobStatus.PENDING.key(), Sql.timestamp(now), id, JobStatus.RUNNING.key(), deadEngine};
        return Sql.update(
                        ds,
                        "UPDATE export_job SET status = ?, engine = NULL, progress = 0, updated_at = ?"
                                + " WHERE id = ? AND status = ? AND " + owner,
                        args)
                == 1;
    }

    /** Progress of a running job; only its engine records it. */
    public void progress(String id, String engine, int percent, Instant now) {
        Sql.update(
                ds,
                "UPDATE export_job SET progress = ?, updated_at = ? WHERE id = ? AND engine = ? AND status = ?",
                percent,
                Sql.timestamp(now),
                id,
                engine,
                JobStatus.RUNNING.key());
    }

    /**
     * The job completed; recorded only when {@code engine} still runs it (not when it was taken over
     * after the engine was taken for dead).
     *
     * @return whether it was recorded
     */
    public boolean completed(String id, String engine, Output o, Instant now) {
        return Sql.update(
                        ds,
                        "UPDATE export_job SET status = ?, progress = 100, filename = ?, file_path = ?,"
                                + " file_size_bytes = ?, record_count = ?, period_start = ?, period_end = ?,"
                                + " updated_at = ?, expires_at = ? WHERE id = ? AND engine = ? AND status = ?",
                        JobStatus.COMPLETED.key(),
                        o.filename(),
                        o.filePath(),
                        o.sizeBytes(),
                        o.records(),
                        o.periodStart(),
                        o.periodEnd(),
                        Sql.timestamp(now),
                        Sql.timestamp(o.expiresAt()),
                        id,
                        engine,
                        JobStatus.RUNNING.key())
                == 1;
    }

    /** The job failed; like {@link #completed}, recorded only while {@code engine} runs it. */
    public boolean failed(String id, String engine, Failure f, Instant now) {
        return Sql.update(
                        ds,
                        "UPDATE export_job SET status = ?, error_code = ?, error_message = ?, error_details = ?,"
                                + " updated_at = ? WHERE id = ? AND engine = ? AND status = ?",
                        JobStatus.FAILED.key(),
                        f.code(),
                        truncate(f.message()),
                        truncate(f.details()),
                        Sql.timestamp(now),
                        id,
                        engine,
                        JobStatus.RUNNING.key())
                == 1;
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

    /** Jobs running, on any engine. */
    public List<Job> running() {
        return Sql.query(
                ds,
                "SELECT * FROM export_job WHERE status = ? ORDER BY created_at",
                0,
                ExportJobTable::job,
                JobStatus.RUNNING.key());
    }

    /** The latest {@code limit} jobs of every engine, newest first. */
    public List<Job> recent(int limit) {
        return Sql.query(ds, "SELECT * FROM export_job ORDER BY created_at DESC", limit, ExportJobTable::job);
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
                rs.getString("engine"),
                output,
                failure);
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
