package io.meterflow.source.eniscope;

import io.meterflow.store.KeyedRows;
import io.meterflow.store.Sql;
import io.meterflow.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The {@code eniscope_channel} reference table: channels per account and their watermarks. */
public final class EniscopeChannels {

    private final DataSource ds;

    public EniscopeChannels(DataSource ds) {
        this.ds = ds;
    }

    /** Inserts the channel or refreshes its descriptive columns; the watermark is kept. */
    public void save(
            String account,
            String channelId,
            String name,
            String uuid,
            String deviceId,
            String organizationId,
            String meterId) {
        try (Connection c = ds.getConnection()) {
            KeyedRows.save(
                    c,
                    "eniscope_channel",
                    KeyedRows.columns("account", account, "channel_id", channelId),
                    KeyedRows.columns(
                            "name",
                            name,
                            "uuid",
                            uuid,
                            "device_id",
                            deviceId,
                            "organization_id",
                            organizationId,
                            "meter_id",
                            meterId));
        } catch (SQLException e) {
            throw new StoreException("cannot save eniscope channel " + channelId, e);
        }
    }

    /** The watermark (epoch seconds: everything before it is stored), or null before the first poll. */
    public Long watermark(String account, String channelId) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
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
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE eniscope_channel SET watermark = COALESCE(?, watermark), last_poll = ?,"
                                + " last_error = ? WHERE account = ? AND channel_id = ?")) {
            if (watermark == null) {
                ps.setNull(1, Types.BIGINT);
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
        return Sql.queryLong(ds, "SELECT COUNT(*) FROM eniscope_channel");
    }

    /** A channel as stored: its reference columns, the meter it feeds and how its last poll went. */
    public record Channel(
            String id,
            String name,
            String uuid,
            String deviceId,
            String organizationId,
            String meterId,
            Long watermark,
            Instant lastPoll,
            String lastError) {}

    public List<Channel> list(String account) {
        List<Channel> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT channel_id, name, uuid, device_id,"
                        + " organization_id, meter_id, watermark, last_poll, last_error FROM eniscope_channel"
                        + " WHERE account = ? ORDER BY channel_id")) {
            ps.setString(1, account);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp polled = rs.getTimestamp(8);
                    out.add(new Channel(
                            rs.getString(1),
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getString(6),
                            rs.getObject(7, Long.class),
                            polled == null ? null : polled.toInstant(),
                            rs.getString(9)));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read eniscope channels", e);
        }
        return out;
    }
}
