package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import javax.sql.DataSource;

/** What is stored for a meter: its data's extent, sample count and hour coverage. */
public final class MeterStats {

    /** {@code earliest}/{@code latest} are null when the meter has no samples. */
    public record Summary(Instant earliest, Instant latest, long samples, long hoursWithData) {

        /** Hours with data as a share of the hours from the earliest to the latest sample, in percent. */
        public double coveragePercent() {
            if (earliest == null) {
                return 0;
            }
            long spanned = latest.getEpochSecond() / 3600 - earliest.getEpochSecond() / 3600 + 1;
            return Math.round(10_000.0 * hoursWithData / spanned) / 100.0;
        }
    }

    private final DataSource ds;

    public MeterStats(DataSource ds) {
        this.ds = ds;
    }

    public Summary summary(String meterId) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT MIN(b.first_millis),"
                        + " MAX(b.last_millis), SUM(b.sample_count), COUNT(DISTINCT b.hour_start) FROM sample_block b"
                        + " JOIN series s ON s.id = b.series_id WHERE s.meter_id = ?")) {
            ps.setString(1, meterId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                    return new Summary(
                            Instant.ofEpochMilli(rs.getLong(1)),
                            Instant.ofEpochMilli(rs.getLong(2)),
                            rs.getLong(3),
                            rs.getLong(4));
                }
                return new Summary(null, null, 0, 0);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot summarise meter " + meterId, e);
        }
    }
}
