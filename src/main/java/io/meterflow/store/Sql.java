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

/** Small JDBC helpers shared by the tables: one statement on a pooled connection, SQL states that matter. */
public final class Sql {

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private Sql() {}

    /** SQLState class 23505 (unique violation) on PostgreSQL and H2. */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** Serialization failures, deadlocks and lock time-outs: worth trying the transaction again. */
    public static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return state != null
                && (state.equals("40001") || state.equals("40P01") || state.equals("HYT00") || state.equals("23505"));
    }

    /** The first column of the first row as a number, 0 when there is no row. */
    public static long queryLong(DataSource ds, String sql, Object... args) {
        List<Long> rows = query(ds, sql, 1, rs -> rs.getLong(1), args);
        return rows.isEmpty() ? 0 : rows.get(0);
    }

    /** Runs one INSERT, UPDATE or DELETE in its own transaction; the rows it changed. */
    public static int update(DataSource ds, String sql, Object... args) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("update failed: " + sql, e);
        }
    }

    /** At most {@code maxRows} rows of one query (0: all), mapped. */
    public static <T> List<T> query(DataSource ds, String sql, int maxRows, RowMapper<T> mapper, Object... args) {
        List<T> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setMaxRows(maxRows);
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("query failed: " + sql, e);
        }
        return out;
    }

    /** A nullable timestamp column as an instant. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** An instant as a timestamp parameter (null stays null). */
    public static Timestamp timestamp(Instant t) {
        return t == null ? null : Timestamp.from(t);
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]); // null: untyped, which PostgreSQL accepts for any column
        }
    }
}
