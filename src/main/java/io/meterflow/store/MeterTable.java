package io.meterflow.store;

import io.meterflow.series.Meter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The {@code meter} table: every meter the registry knows, configured or discovered. */
public final class MeterTable {

    private static final String SELECT_DISCOVERED =
            "SELECT id, serial, site, transformer, description, timezone FROM meter WHERE origin = 'discovered'";

    private final DataSource ds;

    public MeterTable(DataSource ds) {
        this.ds = ds;
    }

    /** Inserts the meter or refreshes its descriptive columns; the origin is the first one. */
    public void save(Meter meter, String origin) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            KeyedRows.save(
                    c,
                    "meter",
                    KeyedRows.columns("id", meter.id()),
                    KeyedRows.columns(
                            "serial",
                            meter.serial(),
                            "site",
                            meter.site(),
                            "transformer",
                            meter.transformer(),
                            "description",
                            meter.description(),
                            "timezone",
                            meter.zone().getId()),
                    KeyedRows.columns("origin", origin, "created_at", Timestamp.from(Instant.now())));
        } catch (SQLException e) {
            throw new StoreException("cannot save meter " + meter.id(), e);
        }
    }

    /**
     * The meters registered at run time (inbox folders, stations, channels), by this engine's earlier
     * runs or by other engines on the same database. A timezone the JVM no longer knows falls back
     * to {@code fallback}.
     */
    public List<Meter> discovered(ZoneId fallback) {
        return Sql.query(ds, SELECT_DISCOVERED + " ORDER BY id", 0, rs -> meter(rs, fallback));
    }

    /** The discovered meter with this id, or null. */
    public Meter discovered(String id, ZoneId fallback) {
        return Sql.query(ds, SELECT_DISCOVERED + " AND id = ?", 1, rs -> meter(rs, fallback), id).stream()
                .findFirst()
                .orElse(null);
    }

    private static Meter meter(ResultSet rs, ZoneId fallback) throws SQLException {
        ZoneId zone;
        try {
            zone = ZoneId.of(rs.getString(6));
        } catch (DateTimeException | NullPointerException e) {
            zone = fallback;
        }
        return new Meter(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                zone,
                Map.of(),
                Double.POSITIVE_INFINITY);
    }

    public long count() {
        return Sql.queryLong(ds, "SELECT COUNT(*) FROM meter");
    }
}
