package io.meterflow.store;

import io.meterflow.series.Meter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The {@code meter} table: every meter the registry knows, configured or discovered. */
public final class MeterTable {

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
     * The meters registered at run time by earlier runs (inbox folders, stations, channels), so that
     * they stay listed after a restart. A timezone the JVM no longer knows falls back to {@code fallback}.
     */
    public List<Meter> discovered(ZoneId fallback) {
        List<Meter> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT id, serial, site,"
                        + " transformer, description, timezone FROM meter WHERE origin = 'discovered' ORDER BY id");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ZoneId zone;
                try {
                    zone = ZoneId.of(rs.getString(6));
                } catch (DateTimeException | NullPointerException e) {
                    zone = fallback;
                }
                out.add(new Meter(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        zone,
                        Map.of(),
                        Double.POSITIVE_INFINITY));
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the discovered meters", e);
        }
        return out;
    }

    public long count() {
        return Sql.queryLong(ds, "SELECT COUNT(*) FROM meter");
    }
}
