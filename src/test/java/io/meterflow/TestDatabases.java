package io.meterflow;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The real databases tests run against: a fresh H2 file database always, and PostgreSQL on
 * 127.0.0.1:5432 (database {@code test}, trust auth) when it is running, in a fresh schema.
 */
public final class TestDatabases {

    public static final String PG_BASE = "jdbc:postgresql://127.0.0.1:5432/test";

    /** A JDBC URL with its user. */
    public record Target(String name, String url, String user) {
        @Override
        public String toString() {
            return name;
        }
    }

    private TestDatabases() {}

    public static Target h2() {
        return new Target("h2", "jdbc:h2:./target/test-db/" + UUID.randomUUID() + "/meterflow", "sa");
    }

    public static boolean postgresAvailable() {
        try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", "")) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** A new, empty schema in the PostgreSQL test database. */
    public static Target postgres() {
        String schema = "mf_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", "");
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema on PostgreSQL", e);
        }
        return new Target("postgresql", PG_BASE + "?currentSchema=" + schema, "postgres");
    }

    /** Runs a statement as the PostgreSQL superuser (to create, alter or drop whole databases). */
    public static void postgresAdmin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(PG_BASE, "postgres", "");
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** A new, empty PostgreSQL database of this name (an older one is dropped); its JDBC URL. */
    public static String freshPostgresDatabase(String name) throws SQLException {
        postgresAdmin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        postgresAdmin("CREATE DATABASE " + name);
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    /** A connection to the PostgreSQL database {@code name}, as its owner. */
    public static Connection postgresConnection(String name) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + name, "postgres", "");
    }

    /** The first column of the first row of a query on the PostgreSQL database {@code name}. */
    public static long postgresQueryLong(String name, String sql) throws SQLException {
        try (Connection c = postgresConnection(name);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first column of the first row of a query on the PostgreSQL database {@code name}, as text. */
    public static String postgresQueryText(String name, String sql) throws SQLException {
        try (Connection c = postgresConnection(name);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** The first column of every row of a query on the PostgreSQL database {@code name}. */
    public static List<Long> postgresQueryLongs(String name, String sql) throws SQLException {
        List<Long> out = new ArrayList<>();
        try (Connection c = postgresConnection(name);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getLong(1));
            }
        }
        return out;
    }

    /** H2 always; PostgreSQL too when it answers. */
    public static List<Target> all() {
        List<Target> targets = new ArrayList<>();
        targets.add(h2());
        if (postgresAvailable()) {
            targets.add(postgres());
        }
        return targets;
    }
}
