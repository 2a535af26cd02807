package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Messages a source delivered but the engine could not use, with the reason; kept for inspection,
 * bounded: a payload is kept up to {@link #MAX_PAYLOAD} characters (the rest is cut and its
 * length noted), characters the database cannot store (NUL) are replaced, and only the newest
 * {@code maxRows} letters are kept.
 */
public final class DeadLetters {

    public static final int MAX_PAYLOAD = 4_096;
    private static final int PRUNE_EVERY = 100;

    /** One dead letter. */
    public record Letter(long id, Instant receivedAt, String source, String origin, String reason, String payload) {}

    private final DataSource ds;
    private final int maxRows;
    private final AtomicInteger sincePrune = new AtomicInteger();

    public DeadLetters(DataSource ds, int maxRows) {
        this.ds = ds;
        this.maxRows = maxRows;
    }

    public void record(String source, String origin, String reason, String payload) {
        String p = payload == null ? null : storable(payload);
        if (p != null && p.length() > MAX_PAYLOAD) {
            p = p.substring(0, MAX_PAYLOAD) + "…[cut: " + payload.length() + " characters in all]";
        }
        origin = origin == null ? null : storable(origin);
        reason = storable(reason);
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
        if (sincePrune.incrementAndGet() >= PRUNE_EVERY) {
            sincePrune.set(0);
            prune();
        }
    }

    /** Deletes all but the newest {@code maxRows} letters; the number deleted. */
    public int prune() {
        long newest = Sql.queryLong(ds, "SELECT COALESCE(MAX(id), 0) FROM dead_letter");
        return Sql.update(ds, "DELETE FROM dead_letter WHERE id <= ?", newest - maxRows);
    }

    /** Text the database can store: NUL (which PostgreSQL refuses in text) shown as U+2400. */
    static String storable(String text) {
        return text.indexOf('\u0000') < 0 ? text : text.replace('\u0000', '\u2400');
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
