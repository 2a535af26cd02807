package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.meterflow.series.Sample;

import javax.sql.DataSource;

/**
 * Raw samples in compressed series-hour blocks, each carrying its minute rollups. Writers open a
 * {@link WriteSession} (one transaction); readers get blocks by series and hour range.
 */
public final class SampleStore {

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
        String sql = "SELECT hour_start, samples FROM sample_block WHERE series_id = ? AND hour_start >= ? AND hour_start < ?"
                + " ORDER BY hour_start";
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
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
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, seriesId);
            ps.setLong(2, hourStart);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? BlockCodec.decodeMinutes(rs.getBytes(1)) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read rollups of series " + seriesId, e);
        }
    }

    public long sampleCount() {
        return SqlStates.queryLong(ds, "SELECT COALESCE(SUM(sample_count), 0) FROM sample_block");
    }

    public DataSource dataSource() {
        return ds;
    }
}
