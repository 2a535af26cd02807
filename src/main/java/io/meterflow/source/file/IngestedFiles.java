package io.meterflow.source.file;

import io.meterflow.store.Sql;
import io.meterflow.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;

/** The ledger of files ingested or rejected: what came in, when, and what was wrong with it. */
public final class IngestedFiles {

    /** What became of a file. */
    public enum Status {
        INGESTED,
        REJECTED;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One ledger entry, made by {@link #ingested} or {@link #rejected}; {@code reason} is null when ingested. */
    public record Entry(
            String meterId,
            String path,
            long sizeBytes,
            Status status,
            String reason,
            Instant nameTime,
            Long firstMillis,
            Long lastMillis,
            ParseStats stats,
            long samplesWritten) {

        public static Entry ingested(
                String meterId,
                String path,
                long sizeBytes,
                Instant nameTime,
                long firstMillis,
                long lastMillis,
                ParseStats stats,
                long samplesWritten) {
            return new Entry(
                    meterId,
                    path,
                    sizeBytes,
                    Status.INGESTED,
                    null,
                    nameTime,
                    firstMillis,
                    lastMillis,
                    stats,
                    samplesWritten);
        }

        public static Entry rejected(String meterId, String path, long sizeBytes, String reason) {
            return new Entry(meterId, path, sizeBytes, Status.REJECTED, reason, null, null, null, new ParseStats(), 0);
        }
    }

    /**
     * The files ingested for a meter: how many (by path: a file ingested again after a crash
     * between its commit and its move counts once), and when the latest was.
     */
    public record Summary(long files, Instant lastIngest) {}

    /** A ledger row as listed: its id, when it was recorded and what became of the file. */
    public record Recorded(
            long id,
            Instant recordedAt,
            String meterId,
            String path,
            long sizeBytes,
            Status status,
            String reason,
            Long firstMillis,
            Long lastMillis,
            long rows,
            long samplesWritten) {}

    /** The longest path and reason the ledger keeps; longer ones are cut. */
    public static final int MAX_PATH = 1024;

    private static final int MAX_REASON = 1000;

    private static final String INSERT =
            "INSERT INTO ingested_file (meter_id, path, size_bytes, status, reason, name_time,"
                    + " first_millis, last_millis, rows_read, samples_written, skipped_cells, blank_lines,"
                    + " bad_timestamp_rows, duplicate_rows, truncated_rows, ingested_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final DataSource ds;

    public IngestedFiles(DataSource ds) {
        this.ds = ds;
    }

    /** Records an entry inside the caller's transaction. */
    public void record(Connection c, Entry e) {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setString(1, e.meterId());
            ps.setString(2, cut(e.path(), MAX_PATH));
            ps.setLong(3, e.sizeBytes());
            ps.setString(4, e.status().key());
            ps.setString(5, cut(e.reason(), MAX_REASON));
            ps.setTimestamp(6, e.nameTime() == null ? null : Timestamp.from(e.nameTime()));
            setLong(ps, 7, e.firstMillis());
            setLong(ps, 8, e.lastMillis());
            ParseStats s = e.stats();
            ps.setLong(9, s.rows);
            ps.setLong(10, e.samplesWritten());
            ps.setLong(11, s.skippedCells);
            ps.setLong(12, s.blankLines);
            ps.setLong(13, s.badTimestampRows);
            ps.setLong(14, s.duplicateRows);
            ps.setLong(15, s.truncatedRows);
            ps.setTimestamp(16, Timestamp.from(Instant.now()));
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

    /** The files ingested for {@code meterId}. */
    public Summary summary(String meterId) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT COUNT(DISTINCT path), MAX(ingested_at) FROM ingested_file WHERE meter_id = ? AND status = ?")) {
            ps.setString(1, meterId);
            ps.setString(2, Status.INGESTED.key());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Timestamp last = rs.getTimestamp(2);
                return new Summary(rs.getLong(1), last == null ? null : last.toInstant());
            }
        } catch (SQLException e) {
            throw new StoreException("cannot count the files of meter " + meterId, e);
        }
    }

    /** The latest {@code limit} ledger rows, newest first; only those of {@code status} unless it is null. */
    public List<Recorded> recent(Status status, int limit) {
        String sql = "SELECT id, ingested_at, meter_id, path, size_bytes, status, reason, first_millis, last_millis,"
                + " rows_read, samples_written FROM ingested_file"
                + (status == null ? "" : " WHERE status = ?") + " ORDER BY id DESC";
        return status == null
                ? Sql.query(ds, sql, limit, IngestedFiles::recorded)
                : Sql.query(ds, sql, limit, IngestedFiles::recorded, status.key());
    }

    /** The ledger row with this id. */
    public Optional<Recorded> find(long id) {
        return Sql.query(
                        ds,
                        "SELECT id, ingested_at, meter_id, path, size_bytes, status, reason, first_millis,"
                                + " last_millis, rows_read, samples_written FROM ingested_file WHERE id = ?",
                        1,
                        IngestedFiles::recorded,
                        id)
                .stream()
                .findFirst();
    }

    private static Recorded recorded(ResultSet rs) throws SQLException {
        return new Recorded(
                rs.getLong(1),
                Sql.instant(rs, "ingested_at"),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                Status.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
                rs.getString(7),
                rs.getObject(8, Long.class),
                rs.getObject(9, Long.class),
                rs.getLong(10),
                rs.getLong(11));
    }

    /** Every (path, size) of a file of this meter recorded as ingested, as {@code path + '\0' + size}. */
    public Set<String> ingestedFiles(String meterId) {
        return new HashSet<>(Sql.query(
                ds,
                "SELECT DISTINCT path, size_bytes FROM ingested_file WHERE meter_id = ? AND status = ?",
                0,
                rs -> rs.getString(1) + '\0' + rs.getLong(2),
                meterId,
                Status.INGESTED.key()));
    }

    /** The id of the ledger's last row; 0 when it has none. */
    public long lastId() {
        return Sql.query(ds, "SELECT MAX(id) FROM ingested_file", 1, rs -> rs.getLong(1))
                .get(0);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }

    private static void setLong(PreparedStatement ps, int index, Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
