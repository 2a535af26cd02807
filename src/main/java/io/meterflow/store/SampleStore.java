package io.meterflow.store;

import io.meterflow.series.Rollup;
import io.meterflow.series.Sample;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Raw samples in compressed series-hour blocks, each carrying its minute rollups. Writers open a
 * {@link WriteSession} (one transaction); readers get blocks by series and hour range.
 */
public final class SampleStore {

    /** Rows of table sample_total; a write adds its count to one of them. */
    static final int TOTAL_SHARDS = 16;

    /** A block's samples, read along with its minute rollups only when those are made from them. */
    static final String SAMPLES_IF_DERIVED = "CASE WHEN OCTET_LENGTH(minutes) < 3 THEN samples END";

    /** At most about this many rows (a series' hour each) are read by one query of {@link #forEachHour}. */
    static final int WINDOW_ROWS = 4096;

    /** How long the raw retention's boundary read from the database serves. */
    private static final long RETAINED_FROM_FRESH_NANOS = 60_000_000_000L;

    private final DataSource ds;
    private final Partitions partitions;
    private volatile long retainedFromMillis = -1;
    private volatile long retainedFromReadNanos;

    public SampleStore(DataSource ds) {
        this.ds = ds;
        this.partitions = new Partitions(ds);
    }

    public Partitions partitions() {
        return partitions;
    }

    /** Starts a transaction for writing samples. */
    public WriteSession openSession() {
        try {
            Connection c = ds.getConnection();
            c.setAutoCommit(false);
            return new WriteSession(c, partitions);
        } catch (SQLException e) {
            throw new StoreException("cannot open a write transaction", e);
        }
    }

    /** The stored samples of one series with {@code fromMillis <= t < toMillis}, in time order. */
    public List<Sample> samples(long seriesId, long fromMillis, long toMillis) {
        List<Sample> out = new ArrayList<>();
        String sql = "SELECT hour_start, samples FROM sample_block"
                + " WHERE series_id = ? AND hour_start >= ? AND hour_start < ? ORDER BY hour_start";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, Math.floorDiv(fromMillis, 3_600_000L) * 3600);
            ps.setLong(3, Math.floorDiv(toMillis - 1, 3_600_000L) * 3600 + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BlockCodec.Samples block = BlockCodec.decodeSamples(rs.getLong(1) * 1000, rs.getBytes(2));
                    for (int i = 0; i < block.count(); i++) {
                        long t = block.millis()[i];
                        if (t >= fromMillis && t < toMillis) {
                            out.add(new Sample(t, block.values()[i]));
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read series " + seriesId, e);
        }
        return out;
    }

    /**
     * The first instant whose raw samples are kept (epoch millis; 0: all are): older months keep
     * only their rollups (see {@link RawRetention}). Read from the database at most once a minute.
     */
    public long rawRetainedFromMillis() {
        if (retainedFromMillis < 0 || System.nanoTime() - retainedFromReadNanos > RETAINED_FROM_FRESH_NANOS) {
            retainedFromMillis =
                    1000 * Sql.queryLong(ds, "SELECT amount FROM store_state WHERE name = 'raw_retained_from'");
            retainedFromReadNanos = System.nanoTime();
        }
        return retainedFromMillis;
    }

    /** The retention moved its boundary: read it again. */
    void rawRetainedFromChanged() {
        retainedFromMillis = -1;
    }

    /** The minute rollups of one series-hour (index = minute of the UTC hour), or null when none is stored. */
    public Rollup[] minuteRollups(long seriesId, long hourStart) {
        String sql = "SELECT minutes, " + SAMPLES_IF_DERIVED + " FROM sample_block WHERE series_id = ?"
                + " AND hour_start = ? UNION ALL SELECT minutes, NULL FROM sample_rollup WHERE series_id = ?"
                + " AND hour_start = ?";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, hourStart);
            ps.setLong(3, seriesId);
            ps.setLong(4, hourStart);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? BlockCodec.minutes(hourStart * 1000, rs.getBytes(1), rs.getBytes(2)) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read rollups of series " + seriesId, e);
        }
    }

    /**
     * Streams the rollups of {@code seriesIds} for the hours {@code fromHour <= h < toHour} (epoch
     * seconds), one hour at a time, in time order; hours without any data are skipped. With
     * {@code perSecond} the slots are the 3600 seconds of the hour, computed from the raw samples;
     * otherwise the 60 stored minute rollups. Memory holds one hour.
     */
    public void forEachHour(long[] seriesIds, long fromHour, long toHour, boolean perSecond, HourSlots consumer) {
        if (seriesIds.length == 0) {
            return;
        }
        StringBuilder in = new StringBuilder(" WHERE hour_start >= ? AND hour_start < ? AND series_id IN (");
        for (int i = 0; i < seriesIds.length; i++) {
            in.append(i == 0 ? "?" : ", ?");
        }
        in.append(")");
        // raw samples where they are kept; minute rollups of every hour, the retained ones too
        String sql = perSecond
                ? "SELECT series_id, hour_start, samples, NULL FROM sample_block" + in + " ORDER BY hour_start"
                : "SELECT series_id, hour_start, minutes, " + SAMPLES_IF_DERIVED + " FROM sample_block" + in
                        + " UNION ALL SELECT series_id, hour_start, minutes, NULL FROM sample_rollup" + in
                        + " ORDER BY hour_start";
        int branches = perSecond ? 1 : 2;
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < seriesIds.length; i++) {
            index.put(seriesIds[i], i);
        }
        // one query per window of hours small enough for the database to sort in memory: H2 keeps
        // about 40,000 result rows per GiB of heap before it spills a sort to a temporary file, which
        // a year of 8 series in one ORDER BY did (peak RSS 470 MB under -Xmx256m, 300 MB by windows)
        long window = Math.max(1, WINDOW_ROWS / seriesIds.length) * 3600L;
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams a result set only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(256);
                for (long from = fromHour, to; from < toHour; from = to) {
                    to = Math.min(toHour, from + window);
                    int p = 1;
                    for (int b = 0; b < branches; b++) {
                        ps.setLong(p++, from);
                        ps.setLong(p++, to);
                        for (long id : seriesIds) {
                            ps.setLong(p++, id);
                        }
                    }
                    readHours(ps, index, seriesIds.length, perSecond, consumer);
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read samples", e);
        }
    }

    /** Hands the rows of one window to the consumer, an hour at a time (they come ordered by hour). */
    private static void readHours(
            PreparedStatement ps, Map<Long, Integer> index, int series, boolean perSecond, HourSlots consumer)
            throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            long current = Long.MIN_VALUE;
            Rollup[][] slots = null;
            while (rs.next()) {
                long hour = rs.getLong(2);
                if (hour != current) {
                    if (slots != null) {
                        consumer.hour(current, slots);
                    }
                    current = hour;
                    slots = new Rollup[series][];
                }
                int s = index.get(rs.getLong(1));
                byte[] bytes = rs.getBytes(3);
                slots[s] = perSecond
                        ? secondRollups(hour * 1000, bytes)
                        : BlockCodec.minutes(hour * 1000, bytes, rs.getBytes(4));
            }
            if (slots != null) {
                consumer.hour(current, slots);
            }
        }
    }

    private static Rollup[] secondRollups(long hourStartMillis, byte[] bytes) {
        BlockCodec.Samples samples = BlockCodec.decodeSamples(hourStartMillis, bytes);
        return BlockCodec.slotRollups(hourStartMillis, samples.millis(), samples.values(), samples.count(), 1000);
    }

    /** Samples stored in all: a sum over {@link #TOTAL_SHARDS} rows that every write keeps up to date. */
    public long sampleCount() {
        return Sql.queryLong(ds, "SELECT COALESCE(SUM(samples), 0) FROM sample_total");
    }

    public DataSource dataSource() {
        return ds;
    }
}
