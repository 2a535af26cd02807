package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

/** The {@code eniscope_channel} reference table: channels per account and their watermarks. */
public final class EniscopeChannels {

    private final DataSource ds;

    public EniscopeChannels(DataSource ds) {
        this.ds = ds;
    }

    /** Inserts the channel or refreshes its descriptive columns; the watermark is kept. */
    public void save(String account, String channelId, String name, String uuid, String deviceId, String organizationId,
                     String meterId) {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement up = c.prepareStatement("UPDATE eniscope_channel SET name = ?, uuid = ?, device_id = ?,"
                    + " organization_id = ?, meter_id = ? WHERE account = ? AND channel_id = ?")) {
                bind(up, name, uuid, deviceId, organizationId, meterId, account, channelId);
                if (up.executeUpdate() > 0) {
                    return;
                }
            }
            try (PreparedStatement in = c.prepareStatement("INSERT INTO eniscope_channel (name, uuid, device_id,"
                    + " organization_id, meter_id, account, channel_id) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                bind(in, name, uuid, deviceId, organizationId, meterId, account, channelId);
                in.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot save eniscope channel " + channelId, e);
        }
    }

    private static void bind(PreparedStatement ps, String... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setString(i + 1, values[i]);
        }
    }

    /** The watermark (epoch seconds: everything before it is stored), or null before the first poll. */
    public Long watermark(String account, String channelId) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT watermark FROM eniscope_channel WHERE account = ? AND channel_id = ?")) {
            ps.setString(1, account);
            ps.setString(2, channelId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? (Long) rs.getObject(1, Long.class) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read eniscope watermark", e);
        }
    }

    /** Records a poll: the new watermark (null keeps it) and the error (null when it went well). */
    public void polled(String account, String channelId, Long watermark, String error) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE eniscope_channel SET"
                + " watermark = COALESCE(?, watermark), last_poll = ?, last_error = ? WHERE account = ? AND channel_id = ?")) {
            if (watermark == null) {
                ps.setNull(1, java.sql.Types.BIGINT);
            } else {
                ps.setLong(1, watermark);
            }
            ps.setTimestamp(2, Timestamp.from(Instant.now()));
            ps.setString(3, error == null || error.length() <= 1000 ? error : error.substring(0, 1000));
            ps.setString(4, account);
            ps.setString(5, channelId);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot record eniscope poll", e);
        }
    }

    public long count() {
        return SqlStates.queryLong(ds, "SELECT COUNT(*) FROM eniscope_channel");
    }
}
