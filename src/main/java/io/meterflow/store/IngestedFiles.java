package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;

import javax.sql.DataSource;

/** The ledger of files ingested or rejected: what came in, when, and what was wrong with it. */
public final class IngestedFiles {

    /** One ledger entry. {@code reason} is null for an ingested file. */
    public record Entry(String meterId, String path, long sizeBytes, String status, String reason, Instant nameTime,
                        Long firstMillis, Long lastMillis, long rowsRead, long samplesWritten, long skippedCells,
                        long blankLines, long badTimestampRows, long duplicateRows) {
    }

    private static final String INSERT = "INSERT INTO ingested_file (meter_id, path, size_bytes, status, reason, name_time,"
            + " first_millis, last_millis, rows_read, samples_written, skipped_cells, blank_lines, bad_timestamp_rows,"
            + " duplicate_rows, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource ds;

    public IngestedFiles(DataSource ds) {
        this.ds = ds;
    }

    /** Records an entry inside the caller's transaction. */
    public void record(Connection c, Entry e) {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, e.meterId());
            ps.setString(2, e.path());
            ps.setLong(3, e.sizeBytes());
            ps.setString(4, e.status());
            ps.setString(5, e.reason());
            ps.setTimestamp(6, e.nameTime() == null ? null : Timestamp.from(e.nameTime()));
            setLong(ps, 7, e.firstMillis());
            setLong(ps, 8, e.lastMillis());
            ps.setLong(9, e.rowsRead());
            ps.setLong(10, e.samplesWritten());
            ps.setLong(11, e.skippedCells());
            ps.setLong(12, e.blankLines());
            ps.setLong(13, e.badTimestampRows());
            ps.setLong(14, e.duplicateRows());
            ps.setTimestamp(15, Timestamp.from(Instant.now()));
            ps.executeUpdate();
        } catch (SQLException ex) {
            throw new StoreException("cannot record file " + e.path(), ex);
        }
    }

    /** Records an entry in a transaction of its own. */
    public void record(Entry e) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            record(c, e);
        } catch (SQLException ex) {
            throw new StoreException("cannot record file " + e.path(), ex);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
