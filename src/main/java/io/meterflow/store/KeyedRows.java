package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Insert-or-update of one row by its key, the same on H2 and PostgreSQL: an UPDATE of the
 * descriptive columns, and an INSERT when no row has the key. Two writers inserting the same key
 * at once: the loser's unique violation turns into the update it should have been. Table and
 * column names are the code's own constants, never user input.
 */
public final class KeyedRows {

    private KeyedRows() {}

    /**
     * Saves the row with {@code key}; {@code values} are written in both cases, {@code insertOnly}
     * only when the row is new (creation time, origin).
     */
    public static void save(
            Connection c, String table, Map<String, ?> key, Map<String, ?> values, Map<String, ?> insertOnly)
            throws SQLException {
        if (update(c, table, key, values) > 0) {
            return;
        }
        Map<String, Object> all = new LinkedHashMap<>(values);
        all.putAll(insertOnly);
        all.putAll(key);
        String sql = "INSERT INTO " + table + " (" + String.join(", ", all.keySet()) + ") VALUES ("
                + String.join(", ", Collections.nCopies(all.size(), "?")) + ")";
        try (PreparedStatement in = c.prepareStatement(sql)) {
            bind(in, new ArrayList<>(all.values()));
            in.executeUpdate();
        } catch (SQLException e) {
            if (!Sql.isUniqueViolation(e)) {
                throw e;
            }
            update(c, table, key, values); // another writer inserted it first
        }
    }

    public static void save(Connection c, String table, Map<String, ?> key, Map<String, ?> values) throws SQLException {
        save(c, table, key, values, Map.of());
    }

    /** Column names and values in order ({@code "a", 1, "b", null}); values may be null. */
    public static Map<String, Object> columns(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    private static int update(Connection c, String table, Map<String, ?> key, Map<String, ?> values)
            throws SQLException {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("nothing to update in " + table);
        }
        String sql = "UPDATE " + table + " SET " + String.join(" = ?, ", values.keySet()) + " = ? WHERE "
                + String.join(" = ? AND ", key.keySet()) + " = ?";
        List<Object> args = new ArrayList<>(values.values());
        args.addAll(key.values());
        try (PreparedStatement up = c.prepareStatement(sql)) {
            bind(up, args);
            return up.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i)); // null: untyped, which PostgreSQL accepts for any column
        }
    }
}
