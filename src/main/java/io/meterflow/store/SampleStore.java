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

    private final DataSource ds;
    private final HourLocks locks;

    public SampleStore(DataSource ds, long lockTimeoutMillis) {
        this.ds = ds;
        this.locks = new HourLocks(4096, lockTimeoutMillis);
    }

    /** Starts a transaction for writing samples of one meter. */
    public WriteSession openSession(String meterId) {
        try {
            Connection c = ds.getConnection();
            c.setAutoCommit(false);
            return new WriteSession(c, meterId, locks);
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

    /** The minute rollups of one series-hour (index = minute of the UTC hour), or null when none is stored. */
    public Rollup[] minuteRollups(long seriesId, long hourStart) {
        String sql = "SELECT minutes FROM sample_block WHERE series_id = ? AND hour_start = ?";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, hourStart);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? BlockCodec.decodeMinutes(rs.getBytes(1)) : null;
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
        StringBuilder sql = new StringBuilder("SELECT series_id, hour_start, ")
                .append(perSecond ? "samples" : "minutes")
                .append(" FROM sample_block WHERE hour_start >= ? AND hour_start < ? AND series_id IN (");
        for (int i = 0; i < seriesIds.length; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(") ORDER BY hour_start");
        Map<Long, Integer> index = new HashMap<>();
        for (int i = 0; i < seriesIds.length; i++) {
            index.put(seriesIds[i], i);
        }
        int slotCount = perSecond ? 3600 : 60;
        try (Connection c = ds.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // PostgreSQL streams a result set only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                ps.setFetchSize(256);
                ps.setLong(1, fromHour);
                ps.setLong(2, toHour);
                for (int i = 0; i < seriesIds.length; i++) {
                    ps.setLong(i + 3, seriesIds[i]);
                }
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
                            slots = new Rollup[seriesIds.length][];
                        }
                        int s = index.get(rs.getLong(1));
                        byte[] bytes = rs.getBytes(3);
                        slots[s] = perSecond ? secondRollups(hour * 1000, bytes) : BlockCodec.decodeMinutes(bytes);
                    }
                    if (slots != null) {
                        consumer.hour(current, slots);
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read samples", e);
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
