package io.meterflow.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/** Small JDBC helpers shared by the tables. */
final class SqlStates {

    private SqlStates() {
    }

    /** SQLState class 23505 (unique violation) on PostgreSQL and H2. */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState());
    }

    /** Serialization failures, deadlocks and lock time-outs: worth trying the transaction again. */
    static boolean isRetryable(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.equals("40001") || state.equals("40P01") || state.equals("HYT00")
                || state.equals("23505"));
    }

    static long queryLong(DataSource ds, String sql) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new StoreException("query failed: " + sql, e);
        }
    }
}
