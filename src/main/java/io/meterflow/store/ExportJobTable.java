package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/** The {@code export_job} table. */
public final class ExportJobTable {

    /** One job row. File and error columns are null until the job has finished. */
    public record Job(String id, String status, String request, Instant createdAt, Instant updatedAt, int progress,
                      int attempts, String filename, String filePath, Long fileSizeBytes, Long recordCount,
                      String periodStart, String periodEnd, String errorCode, String errorMessage, String errorDetails,
                      Instant expiresAt) {
    }

    private final DataSource ds;

    public ExportJobTable(DataSource ds) {
        this.ds = ds;
    }

    public void insert(String id, String request, Instant now) {
        update("INSERT INTO export_job (id, status, request, created_at, updated_at, progress, attempts)"
                + " VALUES (?, 'pending', ?, ?, ?, 0, 0)", id, request, ts(now), ts(now));
    }

    public void running(String id, Instant now) {
        update("UPDATE export_job SET status = 'running', attempts = attempts + 1, progress = 0, updated_at = ?"
                + " WHERE id = ?", ts(now), id);
    }

    public void progress(String id, int percent, Instant now) {
        update("UPDATE export_job SET progress = ?, updated_at = ? WHERE id = ?", percent, ts(now), id);
    }

    public void completed(String id, String filename, String path, long size, long records, String periodStart,
                          String periodEnd, Instant now, Instant expires) {
        update("UPDATE export_job SET status = 'completed', progress = 100, filename = ?, file_path = ?,"
                + " file_size_bytes = ?, record_count = ?, period_start = ?, period_end = ?, updated_at = ?,"
                + " expires_at = ? WHERE id = ?", filename, path, size, records, periodStart, periodEnd, ts(now),
                ts(expires), id);
    }

    public void failed(String id, String code, String message, String details, Instant now) {
        update("UPDATE export_job SET status = 'failed', error_code = ?, error_message = ?, error_details = ?,"
                + " updated_at = ? WHERE id = ?", code, truncate(message), truncate(details), ts(now), id);
    }

    public void expired(String id, Instant now) {
        update("UPDATE export_job SET status = 'expired', file_path = NULL, updated_at = ? WHERE id = ?", ts(now), id);
    }

    public Optional<Job> find(String id) {
        List<Job> jobs = query("SELECT * FROM export_job WHERE id = ?", id);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    /** Jobs a restart interrupted: pending or running. */
    public List<Job> unfinished() {
        return query("SELECT * FROM export_job WHERE status IN ('pending', 'running') ORDER BY created_at");
    }

    public List<Job> completedBefore(Instant cutoff) {
        return query("SELECT * FROM export_job WHERE status = 'completed' AND expires_at < ?", ts(cutoff));
    }

    private void update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("export job update failed", e);
        }
    }

    private List<Job> query(String sql, Object... args) {
        List<Job> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Job(rs.getString("id"), rs.getString("status"), rs.getString("request"),
                            instant(rs, "created_at"), instant(rs, "updated_at"), rs.getInt("progress"),
                            rs.getInt("attempts"), rs.getString("filename"), rs.getString("file_path"),
                            (Long) rs.getObject("file_size_bytes", Long.class), (Long) rs.getObject("record_count", Long.class),
                            rs.getString("period_start"), rs.getString("period_end"), rs.getString("error_code"),
                            rs.getString("error_message"), rs.getString("error_details"), instant(rs, "expires_at")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("export job query failed", e);
        }
        return out;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static Timestamp ts(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
