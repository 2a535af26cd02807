package io.meterflow.export.schedule;

import io.meterflow.store.EngineHeartbeats;
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

    /**
     * The file written: rows, name, where it is kept until every destination has it, and the share
     * of its bins holding data (over its meters, in percent; null before the file is written).
     */
    public record Output(Long rows, String fileName, String filePath, Double coveragePercent) {}

    /** Per destination how delivery went (null: no such destination), and the HTTP attempts so far. */
    public record Delivery(DeliveryStatus folder, DeliveryStatus http, int httpAttempts) {}

    private final DataSource ds;

    private final EngineHeartbeats engines;

    /** {@code engines}: who this engine is, and whether the engine owning a run still lives. */
    public ExportRunTable(DataSource ds, EngineHeartbeats engines) {
        this.ds = ds;
        this.engines = engines;
    }

    /**
     * Takes the run of a window for this engine, atomically (with several engines exactly one of
     * them gets it): a window never run, a run that failed, a run left {@code running} by an engine
     * that died (see {@link EngineHeartbeats#gone}), and, with {@code replaceFinished}, a completed
     * or partial run (a manual re-run). The run starts afresh, owned by this engine. False when the
     * window is exported already (without {@code replaceFinished}) or a live engine is running it.
     */
    public boolean claim(
            String definition,
            Instant windowStart,
            Instant windowEnd,
            RunTrigger trigger,
            Instant now,
            boolean replaceFinished) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                Owned current = current(c, definition, windowStart);
                if (current != null) {
                    boolean take =
                            switch (current.status()) {
                                case FAILED -> true;
                                case RUNNING -> engines.gone(current.engine());
                                case COMPLETED, PARTIAL -> replaceFinished;
                            };
                    if (!take) {
                        c.rollback();
                        return false;
                    }
                    try (PreparedStatement del =
                            c.prepareStatement("DELETE FROM export_run WHERE definition = ? AND window_start = ?")) {
                        del.setString(1, definition);
                        del.setLong(2, windowStart.getEpochSecond());
                        del.executeUpdate();
                    }
                }
                try (PreparedStatement ins = c.prepareStatement("INSERT INTO export_run (definition, window_start,"
                        + " window_end, started_at, status, trigger_kind, http_attempts, engine)"
                        + " VALUES (?, ?, ?, ?, ?, ?, 0, ?)")) {
                    ins.setString(1, definition);
                    ins.setLong(2, windowStart.getEpochSecond());
                    ins.setLong(3, windowEnd.getEpochSecond());
                    ins.setTimestamp(4, Timestamp.from(now));
                    ins.setString(5, RunStatus.RUNNING.key());
                    ins.setString(6, trigger.key());
                    ins.setString(7, engines.self().name());
                    ins.executeUpdate();
                }
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (Sql.isUniqueViolation(e)) {
                    return false; // another engine inserted the run first
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot claim the export run of " + definition, e);
        }
    }

    /** The window's run, its row locked until the transaction ends; null when there is none. */
    private static Owned current(Connection c, String definition, Instant windowStart) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT window_start, window_end, engine, status"
                + " FROM export_run WHERE definition = ? AND window_start = ? FOR UPDATE")) {
            ps.setString(1, definition);
            ps.setLong(2, windowStart.getEpochSecond());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? new Owned(rs.getLong(1), rs.getLong(2), rs.getString(3), RunStatus.of(rs.getString(4)))
                        : null;
            }
        }
    }

    public void written(
            String definition,
            Instant windowStart,
            long rows,
            String fileName,
            String filePath,
            double coveragePercent) {
        Sql.update(
                ds,
                "UPDATE export_run SET rows_written = ?, file_name = ?, file_path = ?, coverage_percent = ?"
                        + " WHERE definition = ? AND window_start = ? AND engine = ?",
                rows,
                fileName,
                filePath,
                coveragePercent,
                definition,
                windowStart.getEpochSecond(),
                engines.self().name());
    }

    public void folder(String definition, Instant windowStart, DeliveryStatus status) {
        Sql.update(
                ds,
                "UPDATE export_run SET folder_status = ? WHERE definition = ? AND window_start = ? AND engine = ?",
                status.key(),
                definition,
                windowStart.getEpochSecond(),
                engines.self().name());
    }

    public void http(String definition, Instant windowStart, DeliveryStatus status, int attempts, String error) {
        Sql.update(
                ds,
                "UPDATE export_run SET http_status = ?, http_attempts = http_attempts + ?, error = ?"
                        + " WHERE definition = ? AND window_start = ? AND engine = ?",
                status.key(),
                attempts,
                error,
                definition,
                windowStart.getEpochSecond(),
                engines.self().name());
    }

    /** A delivery owed from an earlier run failed again. */
    public void stillUndelivered(String definition, Instant windowStart, int attempts, String error) {
        Sql.update(
                ds,
                "UPDATE export_run SET http_attempts = http_attempts + ?, error = ? WHERE definition = ?"
                        + " AND window_start = ? AND http_status = ?",
                attempts,
                error,
                definition,
                windowStart.getEpochSecond(),
                DeliveryStatus.FAILED.key());
    }

    /**
     * Ends this engine's run of a window; false when the run is no longer this engine's (another
     * engine, taking this one for dead, has run the window again).
     */
    public boolean finish(String definition, Instant windowStart, RunStatus status, String error, Instant now) {
        return Sql.update(
                        ds,
                        "UPDATE export_run SET status = ?, error = COALESCE(?, error), finished_at = ?"
                                + " WHERE definition = ? AND window_start = ? AND engine = ?",
                        status.key(),
                        error,
                        Timestamp.from(now),
                        definition,
                        windowStart.getEpochSecond(),
                        engines.self().name())
                == 1;
    }

    /** A delivery owed from an earlier run succeeded: that run is complete. */
    public void deliveredLate(String definition, Instant windowStart, int attempts, Instant now) {
        Sql.update(
                ds,
                "UPDATE export_run SET http_status = ?, http_attempts = http_attempts + ?, error = NULL, status = ?,"
                        + " finished_at = ? WHERE definition = ? AND window_start = ? AND http_status = ?",
                DeliveryStatus.DELIVERED.key(),
                attempts,
                RunStatus.COMPLETED.key(),
                Timestamp.from(now),
                definition,
                windowStart.getEpochSecond(),
                DeliveryStatus.FAILED.key());
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

    /** The windows of {@code definition} left {@code running} by an engine that died (see {@link EngineHeartbeats#gone}). */
    public List<ExportWindow.Range> interrupted(String definition) {
        return Sql.query(
                        ds,
                        "SELECT window_start, window_end, engine, status FROM export_run WHERE definition = ?"
                                + " AND status = ?",
                        10_000,
                        rs -> new Owned(rs.getLong(1), rs.getLong(2), rs.getString(3), RunStatus.of(rs.getString(4))),
                        definition,
                        RunStatus.RUNNING.key())
                .stream()
                .filter(r -> engines.gone(r.engine()))
                .map(r -> new ExportWindow.Range(
                        Instant.ofEpochSecond(r.windowStart()), Instant.ofEpochSecond(r.windowEnd())))
                .toList();
    }

    private record Owned(long windowStart, long windowEnd, String engine, RunStatus status) {}

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
                        rs.getObject("rows_written", Long.class),
                        rs.getString("file_name"),
                        rs.getString("file_path"),
                        rs.getObject("coverage_percent", Double.class)),
                new Delivery(
                        DeliveryStatus.of(rs.getString("folder_status")),
                        DeliveryStatus.of(rs.getString("http_status")),
                        rs.getInt("http_attempts")),
                rs.getString("error"));
    }
}
