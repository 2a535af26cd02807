package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import io.meterflow.series.Meter;

/** The {@code meter} table: every meter the registry knows, configured or discovered. */
public final class MeterTable {

    private final DataSource ds;

    public MeterTable(DataSource ds) {
        this.ds = ds;
    }

    /** Inserts the meter or refreshes its descriptive columns. */
    public void save(Meter meter, String origin) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement update = c.prepareStatement(
                    "UPDATE meter SET serial = ?, site = ?, transformer = ?, description = ?, timezone = ? WHERE id = ?")) {
                bind(update, meter);
                update.setString(6, meter.id());
                if (update.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO meter (serial, site, transformer, description,"
                    + " timezone, id, origin, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                bind(insert, meter);
                insert.setString(6, meter.id());
                insert.setString(7, origin);
                insert.setTimestamp(8, Timestamp.from(Instant.now()));
                insert.executeUpdate();
            } catch (SQLException e) {
                if (!SqlStates.isUniqueViolation(e)) {
                    throw e;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot save meter " + meter.id(), e);
        }
    }

    public long count() {
        return SqlStates.queryLong(ds, "SELECT COUNT(*) FROM meter");
    }

    private static void bind(PreparedStatement ps, Meter meter) throws SQLException {
        ps.setString(1, meter.serial());
        ps.setString(2, meter.site());
        ps.setString(3, meter.transformer());
        ps.setString(4, meter.description());
        ps.setString(5, meter.zone().getId());
    }

}
