package io.meterflow.export.schedule;

import io.meterflow.store.Sql;
import io.meterflow.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/** The {@code export_run} table: one row per (definition, window); a re-run replaces it. */
public final class ExportRunTable {

    /** One run of a definition's window. */
    public record Run(
            String definition,
            Instant windowStart,
            Instant windowEnd,
            Instant startedAt,
            Instant finishedAt,
            RunStatus status,
            RunTrigger trigger,
            Output output,
            Delivery delivery,
            String error) {}

    /** The file written: rows, name, and where it is kept until every destination has it. */
    public record Output(Long rows, String fileName, String filePath) {}

    /** Per destination how delivery went (null: no such destination), and the HTTP attempts so far. */
    public record Delivery(DeliveryStatus folder, DeliveryStatus http, int httpAttempts) {}

    private final DataSource ds;

    public ExportRunTable(DataSource ds) {
        this.ds = ds;
    }

    /** Starts (or restarts) the run of a window. */
    public void start(String definition, Instant windowStart, Instant windowEnd, RunTrigger trigger, Instant now) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement del =
                    c.prepareStatement("DELETE FROM export_run WHERE definition = ? AND window_start = ?")) {
                del.setString(1, definition);
                del.setLong(2, windowStart.getEpochSecond());
                del.executeUpdate();
            }
            try (PreparedStatement ins =
                    c.prepareStatement("INSERT INTO export_run (definition, window_start, window_end,"
                            + " started_at, status, trigger_kind, http_attempts) VALUES (?, ?, ?, ?, ?, ?, 0)")) {
                ins.setString(1, definition);
                ins.setLong(2, windowStart.getEpochSecond());
                ins.setLong(3, windowEnd.getEpochSecond());
                ins.setTimestamp(4, Timestamp.from(now));
                ins.setString(5, RunStatus.RUNNING.key());
                ins.setString(6, trigger.key());
                ins.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot record export run of " + definition, e);
        }
    }

    public void written(String definition, Instant windowStart, long rows, String fileName, String filePath) {
        Sql.update(
                ds,
                "UPDATE export_run SET rows_written = ?, file_name = ?, file_path = ? WHERE definition = ?"
                        + " AND window_start = ?",
                rows,
                fileName,
                filePath,
                definition,
                windowStart.getEpochSecond());
    }

    public void folder(String definition, Instant windowStart, DeliveryStatus status) {
        Sql.update(
                ds,
                "UPDATE export_run SET folder_status = ? WHERE definition = ? AND window_start = ?",
                status.key(),
                definition,
                windowStart.getEpochSecond());
    }

    public void http(String definition, Instant windowStart, DeliveryStatus status, int attempts, String error) {
        Sql.update(
                ds,
                "UPDATE export_run SET http_status = ?, http_attempts = http_attempts + ?, error = ?"
                        + " WHERE definition = ? AND window_start = ?",
                status.key(),
                attempts,
                error,
                definition,
                windowStart.getEpochSecond());
    }

    public void finish(String definition, Instant windowStart, RunStatus status, String error, Instant now) {
        Sql.update(
                ds,
                "UPDATE export_run SET status = ?, error = COALESCE(?, error), finished_at = ? WHERE definition = ?"
                        + " AND window_start = ?",
                status.key(),
                error,
                Timestamp.from(now),
                definition,
                windowStart.getEpochSecond());
    }

    public List<Run> runs(String definition, int limit) {
        return Sql.query(
                ds,
                "SELECT * FROM export_run WHERE definition = ? ORDER BY window_start DESC",
                limit,
                ExportRunTable::run,
                definition);
    }

    /** Runs whose HTTP delivery failed and is still owed. */
    public List<Run> undelivered(String definition) {
        return Sql.query(
                ds,
                "SELECT * FROM export_run WHERE definition = ? AND http_status = ? ORDER BY window_start",
                1000,
                ExportRunTable::run,
                definition,
                DeliveryStatus.FAILED.key());
    }

    public boolean exported(String definition, Instant windowStart) {
        return !Sql.query(
                        ds,
                        "SELECT * FROM export_run WHERE definition = ? AND window_start = ? AND status IN (?, ?)",
                        1,
                        ExportRunTable::run,
                        definition,
                        windowStart.getEpochSecond(),
                        RunStatus.COMPLETED.key(),
                        RunStatus.PARTIAL.key())
                .isEmpty();
    }

    private static Run run(ResultSet rs) throws SQLException {
        return new Run(
                rs.getString("definition"),
                Instant.ofEpochSecond(rs.getLong("window_start")),
                Instant.ofEpochSecond(rs.getLong("window_end")),
                Sql.instant(rs, "started_at"),
                Sql.instant(rs, "finished_at"),
                RunStatus.of(rs.getString("status")),
                RunTrigger.of(rs.getString("trigger_kind")),
                new Output(
                        rs.getObject("rows_written", Long.class), rs.getString("file_name"), rs.getString("file_path")),
                new Delivery(
                        DeliveryStatus.of(rs.getString("folder_status")),
                        DeliveryStatus.of(rs.getString("http_status")),
                        rs.getInt("http_attempts")),
                rs.getString("error"));
    }
}
