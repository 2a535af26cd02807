package io.meterflow.store;

import io.meterflow.series.SignalKind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/** Series ids by (meter, signal), created on first use and cached. */
public final class SeriesCatalog {

    private final DataSource ds;
    private final Map<String, Long> ids = new ConcurrentHashMap<>();

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

    /** One stored series of a meter; {@code displayName} is null where it equals the signal. */
    public record SeriesInfo(long id, String signal, SignalKind kind, String displayName) {}

    /** The series of a meter in the order they were first seen (file column order). */
    public List<SeriesInfo> list(String meterId) {
        List<SeriesInfo> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT id, signal, kind, display_name FROM series WHERE meter_id = ? ORDER BY id")) {
            ps.setString(1, meterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new SeriesInfo(
                            rs.getLong(1), rs.getString(2), SignalKind.parse(rs.getString(3)), rs.getString(4)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot list series of meter " + meterId, e);
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
