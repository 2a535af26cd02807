package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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

    /**
     * The hours of both tables (raw blocks and those the retention keeps as rollups only) and the
     * pending rows of open hours (each with what it added to its hour), written out rather than
     * through view sample_hours, so that H2 uses each table's index. {@code where} is repeated
     * for each table: its arguments are given {@value #PARTS} times.
     */
    private String hours(String columns, String where) {
        return "(SELECT " + columns + " FROM series s JOIN sample_block b ON " + keys.ofSeries("b", "s") + where
                + " UNION ALL SELECT " + columns + " FROM sample_rollup b JOIN series s ON s.id = b.series_id" + where
                + " UNION ALL SELECT " + columns + " FROM sample_delta b JOIN series s ON s.id = b.series_id" + where
                + ") h";
    }

    /** The tables {@link #hours} reads. */
    private static final int PARTS = 3;

    private final DataSource ds;
    private final BlockKeys keys;

    public MeterStats(DataSource ds) {
        this.ds = ds;
        this.keys = BlockKeys.of(ds);
    }

    /** The summary of every meter that has samples, by meter id, in one query. */
    public Map<String, Summary> summaries() {
        Map<String, Summary> out = new HashMap<>();
        for (Map.Entry<String, Summary> e : Sql.query(
                ds,
                "SELECT h.meter_id, MIN(h.first_millis), MAX(h.last_millis), SUM(h.sample_count),"
                        + " COUNT(DISTINCT h.hour_start) FROM "
                        + hours("s.meter_id, b.first_millis, b.last_millis, b.sample_count, b.hour_start", "")
                        + " GROUP BY h.meter_id",
                0,
                rs -> Map.entry(
                        rs.getString(1),
                        new Summary(
                                Instant.ofEpochMilli(rs.getLong(2)),
                                Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getLong(4),
                                rs.getLong(5))))) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /**
     * Samples per stored UTC hour of a meter ({@code fromHour <= hour < toHour}, epoch seconds):
     * the most any of its series holds in that hour; hours without data are absent.
     */
    public Map<Long, Long> samplesPerHour(String meterId, long fromHour, long toHour) {
        Map<Long, Long> out = new HashMap<>();
        Object[] args = new Object[3 * PARTS];
        for (int i = 0; i < args.length; i += 3) {
            args[i] = meterId;
            args[i + 1] = fromHour;
            args[i + 2] = toHour;
        }
        for (long[] row : Sql.query(
                ds,
                // a series' hour: its block's or rollup's count and what its pending rows added
                "SELECT x.hour_start, MAX(x.n) FROM (SELECT h.series_id, h.hour_start, SUM(h.sample_count) n FROM "
                        + hours(
                                "b.series_id, b.hour_start, b.sample_count",
                                " WHERE s.meter_id = ? AND b.hour_start >= ? AND b.hour_start < ?")
                        + " GROUP BY h.series_id, h.hour_start) x GROUP BY x.hour_start",
                0,
                rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                args)) {
            out.put(row[0], row[1]);
        }
        return out;
    }

    /**
     * The time of the latest sample of every meter that has data (in raw blocks and their pending
     * rows): one read of the newest block per series, backwards along the primary key, so the cost
     * is the number of series, not of blocks. The order names both key columns: with
     * {@code ORDER BY hour_start} alone H2 read every hour of the series to find the newest (half a
     * second at start for 150,000 blocks). Pending rows are few: those of the open hours.
     */
    public Map<String, Instant> latestSamples() {
        Map<String, Instant> latest = new HashMap<>();
        try (Connection c = ds.getConnection();
                PreparedStatement list = c.prepareStatement("SELECT id, meter_id FROM series");
                PreparedStatement newest = c.prepareStatement("SELECT last_millis FROM sample_block WHERE "
                        + keys.range() + " ORDER BY " + keys.hourOrder("DESC") + " LIMIT 1");
                PreparedStatement pending =
                        c.prepareStatement("SELECT series_id, MAX(last_millis) FROM sample_delta GROUP BY series_id")) {
            Map<Long, String> series = new HashMap<>();
            try (ResultSet rs = list.executeQuery()) {
                while (rs.next()) {
                    series.put(rs.getLong(1), rs.getString(2));
                }
            }
            for (Map.Entry<Long, String> e : series.entrySet()) {
                keys.bindRange(newest, 1, e.getKey(), 0, BlockKeys.LAST_HOUR);
                try (ResultSet rs = newest.executeQuery()) {
                    if (rs.next()) {
                        Instant t = Instant.ofEpochMilli(rs.getLong(1));
                        latest.merge(e.getValue(), t, (x, y) -> x.isAfter(y) ? x : y);
                    }
                }
            }
            try (ResultSet rs = pending.executeQuery()) {
                while (rs.next()) {
                    String meter = series.get(rs.getLong(1));
                    if (meter != null) {
                        latest.merge(meter, Instant.ofEpochMilli(rs.getLong(2)), (x, y) -> x.isAfter(y) ? x : y);
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read the latest samples", e);
        }
        return latest;
    }

    public Summary summary(String meterId) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT MIN(h.first_millis), MAX(h.last_millis),"
                        + " SUM(h.sample_count), COUNT(DISTINCT h.hour_start) FROM "
                        + hours(
                                "b.first_millis, b.last_millis, b.sample_count, b.hour_start",
                                " WHERE s.meter_id = ?"))) {
            for (int i = 1; i <= PARTS; i++) {
                ps.setString(i, meterId);
            }
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
