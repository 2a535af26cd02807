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
            KeyedRows.save(c, "eniscope_channel", KeyedRows.columns("account", account, "channel_id", channelId),
                    KeyedRows.columns("name", name, "uuid", uuid, "device_id", deviceId, "organization_id", organizationId,
                            "meter_id", meterId));
        } catch (SQLException e) {
            throw new StoreException("cannot save eniscope channel " + channelId, e);
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
