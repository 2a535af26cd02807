package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

/**
 * The {@code export_run} table: one row per (definition, window). Delivery states are
 * {@code delivered}, {@code failed} or null (no such destination).
 */
public final class ExportRunTable {

    /** One run. */
    public record Run(String definition, Instant windowStart, Instant windowEnd, Instant startedAt, Instant finishedAt,
                      String status, String trigger, Long rows, String fileName, String filePath, String folderStatus,
                      String httpStatus, int httpAttempts, String error) {
    }

    private final DataSource ds;

    public ExportRunTable(DataSource ds) {
        this.ds = ds;
    }

    /** Starts (or restarts) the run of a window. */
    public void start(String definition, Instant windowStart, Instant windowEnd, String trigger, Instant now) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM export_run WHERE definition = ? AND window_start = ?")) {
                del.setString(1, definition);
                del.setLong(2, windowStart.getEpochSecond());
                del.executeUpdate();
            }
            try (PreparedStatement ins = c.prepareStatement("INSERT INTO export_run (definition, window_start, window_end,"
                    + " started_at, status, trigger_kind, http_attempts) VALUES (?, ?, ?, ?, 'running', ?, 0)")) {
                ins.setString(1, definition);
                ins.setLong(2, windowStart.getEpochSecond());
                ins.setLong(3, windowEnd.getEpochSecond());
                ins.setTimestamp(4, Timestamp.from(now));
                ins.setString(5, trigger);
                ins.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot record export run of " + definition, e);
        }
    }

    public void written(String definition, Instant windowStart, long rows, String fileName, String filePath) {
        update("UPDATE export_run SET rows_written = ?, file_name = ?, file_path = ? WHERE definition = ? AND window_start = ?",
                rows, fileName, filePath, definition, windowStart.getEpochSecond());
    }

    public void folder(String definition, Instant windowStart, String status) {
        update("UPDATE export_run SET folder_status = ? WHERE definition = ? AND window_start = ?", status, definition,
                windowStart.getEpochSecond());
    }

    public void http(String definition, Instant windowStart, String status, int attempts, String error) {
        update("UPDATE export_run SET http_status = ?, http_attempts = http_attempts + ?, error = ? WHERE definition = ?"
                + " AND window_start = ?", status, attempts, error, definition, windowStart.getEpochSecond());
    }

    public void finish(String definition, Instant windowStart, String status, String error, Instant now) {
        update("UPDATE export_run SET status = ?, error = COALESCE(?, error), finished_at = ? WHERE definition = ?"
                + " AND window_start = ?", status, error, Timestamp.from(now), definition, windowStart.getEpochSecond());
    }

    public List<Run> runs(String definition, int limit) {
        return query("SELECT * FROM export_run WHERE definition = ? ORDER BY window_start DESC", limit, definition);
    }

    /** Runs whose HTTP delivery failed and is still owed. */
    public List<Run> undelivered(String definition) {
        return query("SELECT * FROM export_run WHERE definition = ? AND http_status = 'failed' ORDER BY window_start", 1000,
                definition);
    }

    public boolean exported(String definition, Instant windowStart) {
        return !query("SELECT * FROM export_run WHERE definition = ? AND window_start = ? AND status IN ('completed',"
                + " 'partial')", 1, definition, windowStart.getEpochSecond()).isEmpty();
    }

    private void update(String sql, Object... args) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot update export run", e);
        }
    }

    private List<Run> query(String sql, int limit, Object... args) {
        List<Run> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(limit);
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp finished = rs.getTimestamp("finished_at");
                    out.add(new Run(rs.getString("definition"), Instant.ofEpochSecond(rs.getLong("window_start")),
                            Instant.ofEpochSecond(rs.getLong("window_end")), rs.getTimestamp("started_at").toInstant(),
                            finished == null ? null : finished.toInstant(), rs.getString("status"),
                            rs.getString("trigger_kind"), (Long) rs.getObject("rows_written", Long.class),
                            rs.getString("file_name"), rs.getString("file_path"), rs.getString("folder_status"),
                            rs.getString("http_status"), rs.getInt("http_attempts"), rs.getString("error")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read export runs", e);
        }
        return out;
    }
}
