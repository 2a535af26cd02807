package io.meterflow.store;

import io.meterflow.series.SignalKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/** Series ids by (meter, signal), created on first use and cached, with their kind, display name and unit. */
public final class SeriesCatalog {

    private final DataSource ds;
    private final Map<String, Long> ids = new ConcurrentHashMap<>();
    private final Map<Long, String> units = new ConcurrentHashMap<>();

    public SeriesCatalog(DataSource ds) {
        this.ds = ds;
    }

    public long idFor(String meterId, String signal, SignalKind kind) {
        return idFor(meterId, signal, kind, null);
    }

    /** The series id, creating the series (with its display name, when given) on first use. */
    public long idFor(String meterId, String signal, SignalKind kind, String displayName) {
        String key = meterId + '\u0000' + signal;
        Long id = ids.get(key);
        if (id != null) {
            return id;
        }
        id = findOrCreate(meterId, signal, kind, displayName);
        ids.put(key, id);
        return id;
    }

    /**
     * The series id, creating the series (kind, display name and unit as given) on first use; a
     * series that exists keeps its kind and display name, and takes {@code unit} when it is not
     * null and differs from the stored one.
     */
    public long idFor(String meterId, String signal, SignalKind kind, String displayName, String unit) {
        long id = idFor(meterId, signal, kind, displayName);
        if (unit != null && !unit.equals(units.get(id))) {
            try (Connection c = ds.getConnection();
                    PreparedStatement ps = c.prepareStatement(
                            "UPDATE series SET unit = ? WHERE id = ? AND (unit IS NULL OR unit <> ?)")) {
                c.setAutoCommit(true);
                ps.setString(1, unit);
                ps.setLong(2, id);
                ps.setString(3, unit);
                ps.executeUpdate();
            } catch (SQLException e) {
                throw new StoreException("cannot record the unit of series " + meterId + "/" + signal, e);
            }
            units.put(id, unit);
        }
        return id;
    }

    /**
     * One stored series of a meter; {@code displayName} is null where it equals the signal,
     * {@code unit} where no source named one.
     */
    public record SeriesInfo(long id, String signal, SignalKind kind, String displayName, String unit) {}

    /** The series of a meter in the order they were first seen (file column order). */
    public List<SeriesInfo> list(String meterId) {
        List<SeriesInfo> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, signal, kind, display_name, unit FROM series WHERE meter_id = ? ORDER BY id")) {
            ps.setString(1, meterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SeriesInfo(
                            rs.getLong(1),
                            rs.getString(2),
                            SignalKind.parse(rs.getString(3)),
                            rs.getString(4),
                            rs.getString(5)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot list series of meter " + meterId, e);
        }
        return out;
    }

    /** The series of every meter, by meter id, each list in the order of {@link #list}; one query. */
    public Map<String, List<SeriesInfo>> listAll() {
        Map<String, List<SeriesInfo>> out = new HashMap<>();
        for (Map.Entry<String, SeriesInfo> e : Sql.query(
                ds,
                "SELECT meter_id, id, signal, kind, display_name, unit FROM series ORDER BY id",
                0,
                rs -> Map.entry(
                        rs.getString(1),
                        new SeriesInfo(
                                rs.getLong(2),
                                rs.getString(3),
                                SignalKind.parse(rs.getString(4)),
                                rs.getString(5),
                                rs.getString(6))))) {
            out.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
        return out;
    }

    private long findOrCreate(String meterId, String signal, SignalKind kind, String displayName) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            Long existing = find(c, meterId, signal);
            if (existing != null) {
                return existing;
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO series (meter_id, signal, kind, display_name) VALUES (?, ?, ?, ?)")) {
                ps.setString(1, meterId);
                ps.setString(2, signal);
                ps.setString(3, kind.key());
                ps.setString(4, displayName);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!Sql.isUniqueViolation(e)) {
                    throw e;
                }
            }
            return find(c, meterId, signal);
        } catch (SQLException e) {
            throw new StoreException("cannot register series " + meterId + "/" + signal, e);
        }
    }

    private static Long find(Connection c, String meterId, String signal) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM series WHERE meter_id = ? AND signal = ?")) {
            ps.setString(1, meterId);
            ps.setString(2, signal);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        }
    }
}
