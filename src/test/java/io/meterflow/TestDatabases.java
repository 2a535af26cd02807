package io.meterflow;

import java.sql.Connection;
import java.sql.DriverManager;
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
