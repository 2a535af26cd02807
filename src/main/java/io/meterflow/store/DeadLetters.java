package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Messages a source delivered but the engine could not use, with the reason; kept for inspection. */
public final class DeadLetters {

    public static final int MAX_PAYLOAD = 65_536;

    /** One dead letter. */
    public record Letter(long id, Instant receivedAt, String source, String origin, String reason, String payload) {}

    private final DataSource ds;

    public DeadLetters(DataSource ds) {
        this.ds = ds;
    }

    public void record(String source, String origin, String reason, String payload) {
        String p = payload == null || payload.length() <= MAX_PAYLOAD ? payload : payload.substring(0, MAX_PAYLOAD);
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("INSERT INTO dead_letter (received_at, source, origin, reason, payload)"
                                + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setString(2, source);
            ps.setString(3, origin == null || origin.length() <= 512 ? origin : origin.substring(0, 512));
            ps.setString(4, reason.length() <= 1024 ? reason : reason.substring(0, 1024));
            ps.setString(5, p);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("cannot record a dead letter", e);
        }
    }

    public long count() {
        return Sql.queryLong(ds, "SELECT COUNT(*) FROM dead_letter");
    }

    /** The newest letters first. */
    public List<Letter> latest(int limit) {
        List<Letter> out = new ArrayList<>();
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM dead_letter ORDER BY id DESC")) {
            ps.setMaxRows(limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Letter(
                            rs.getLong("id"),
                            rs.getTimestamp("received_at").toInstant(),
                            rs.getString("source"),
                            rs.getString("origin"),
                            rs.getString("reason"),
                            rs.getString("payload")));
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read dead letters", e);
        }
        return out;
    }
}
