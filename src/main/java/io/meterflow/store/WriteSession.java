package io.meterflow.store;

import io.meterflow.series.Rollup;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One transaction of sample writes for one meter. Each hour written is merged with what the
 * store already holds for it (the new value wins where timestamps are equal), re-encoded and
 * its rollups recomputed, so late and out-of-order data keep the rollups exact. Nothing is
 * visible to readers before {@link #commit()}; {@link #close()} without commit rolls back.
 */
public final class WriteSession implements AutoCloseable {

    private static final String SELECT_PREFIX =
            "SELECT series_id, samples FROM sample_block WHERE hour_start = ? AND series_id IN (";
    private static final String INSERT = "INSERT INTO sample_block (sample_count, first_millis, last_millis, value_sum,"
            + " value_min, value_max, first_value, last_value, samples, minutes, updated_at, series_id, hour_start)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE sample_block SET sample_count = ?, first_millis = ?, last_millis = ?,"
            + " value_sum = ?, value_min = ?, value_max = ?, first_value = ?, last_value = ?, samples = ?, minutes = ?,"
            + " updated_at = ? WHERE series_id = ? AND hour_start = ?";

    private static final int MAX_IN = 500;

    private final Connection connection;
    private final String meterId;
    private final HourLocks locks;
    private final List<ReentrantLock> held = new ArrayList<>();
    private long samplesWritten;
    private long samplesAdded;
    private boolean done;

    WriteSession(Connection connection, String meterId, HourLocks locks) {
        this.connection = connection;
        this.meterId = meterId;
        this.locks = locks;
    }

    /** Samples written so far (new or replaced values). */
    public long samplesWritten() {
        return samplesWritten;
    }

    /**
     * Writes new samples of several series for the UTC hour starting at {@code hourStart}
     * (epoch seconds).
     */
    public void writeHour(long hourStart, List<SeriesSamples> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            held.add(locks.lock(meterId, hourStart));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableWriteException("interrupted while waiting for a lock", e);
        }
        try {
            Map<Long, byte[]> existing = existing(hourStart, batch);
            Timestamp now = Timestamp.from(Instant.now());
            long base = hourStart * 1000;
            try (PreparedStatement insert = connection.prepareStatement(INSERT);
                    PreparedStatement update = connection.prepareStatement(UPDATE)) {
                boolean inserts = false;
                boolean updates = false;
                for (SeriesSamples s : batch) {
                    byte[] old = existing.get(s.seriesId());
                    BlockCodec.Samples older = old == null ? null : BlockCodec.decodeSamples(base, old);
                    SeriesSamples merged = older == null ? s : merge(older, s);
                    samplesAdded += merged.count() - (older == null ? 0 : older.count());
                    PreparedStatement ps = old == null ? insert : update;
                    bind(ps, merged, base, now);
                    ps.setLong(12, s.seriesId());
                    ps.setLong(13, hourStart);
                    ps.addBatch();
                    inserts |= old == null;
                    updates |= old != null;
                    samplesWritten += s.count();
                }
                if (inserts) {
                    insert.executeBatch();
                }
                if (updates) {
                    update.executeBatch();
                }
            }
        } catch (SQLException e) {
            if (Sql.isRetryable(e)) {
                throw new RetryableWriteException("write of hour " + hourStart + " lost a race: " + e.getMessage(), e);
            }
            throw new StoreException("cannot write samples of meter " + meterId, e);
        }
    }

    /** The stored blocks of the batch's series for the hour, locked; asked in chunks (a query has few parameters). */
    private Map<Long, byte[]> existing(long hourStart, List<SeriesSamples> batch) throws SQLException {
        Map<Long, byte[]> found = new HashMap<>();
        for (int from = 0; from < batch.size(); from += MAX_IN) {
            int n = Math.min(MAX_IN, batch.size() - from);
            StringBuilder sql = new StringBuilder(SELECT_PREFIX);
            for (int i = 0; i < n; i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            sql.append(") FOR UPDATE");
            try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
                ps.setLong(1, hourStart);
                for (int i = 0; i < n; i++) {
                    ps.setLong(i + 2, batch.get(from + i).seriesId());
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.put(rs.getLong(1), rs.getBytes(2));
                    }
                }
            }
        }
        return found;
    }

    private static void bind(PreparedStatement ps, SeriesSamples s, long base, Timestamp now) throws SQLException {
        int n = s.count();
        int scale = BlockCodec.scaleOf(s.values(), n);
        Rollup[] minutes = BlockCodec.minuteRollups(base, s.millis(), s.values(), n);
        Rollup hour = null;
        for (Rollup m : minutes) {
            if (m != null) {
                hour = hour == null ? m : hour.then(m);
            }
        }
        ps.setInt(1, n);
        ps.setLong(2, s.millis()[0]);
        ps.setLong(3, s.millis()[n - 1]);
        ps.setDouble(4, hour.sum());
        ps.setDouble(5, hour.min());
        ps.setDouble(6, hour.max());
        ps.setDouble(7, hour.first());
        ps.setDouble(8, hour.last());
        ps.setBytes(9, BlockCodec.encodeSamples(base, s.millis(), s.values(), n, scale));
        ps.setBytes(10, BlockCodec.encodeMinutes(minutes, scale));
        ps.setTimestamp(11, now);
    }

    /** Merges two sorted, duplicate-free sample sets; {@code newer} wins on equal timestamps. */
    static SeriesSamples merge(BlockCodec.Samples older, SeriesSamples newer) {
        int a = older.count();
        int b = newer.count();
        long[] millis = new long[a + b];
        double[] values = new double[a + b];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a || j < b) {
            if (j >= b || (i < a && older.millis()[i] < newer.millis()[j])) {
                millis[n] = older.millis()[i];
                values[n++] = older.values()[i++];
            } else {
                if (i < a && older.millis()[i] == newer.millis()[j]) {
                    i++;
                }
                millis[n] = newer.millis()[j];
                values[n++] = newer.values()[j++];
            }
        }
        return new SeriesSamples(newer.seriesId(), millis, values, n);
    }

    public void commit() {
        try {
            if (samplesAdded != 0) {
                // the store's total, in one of a few rows so that concurrent writers rarely wait on each other
                try (PreparedStatement ps =
                        connection.prepareStatement("UPDATE sample_total SET samples = samples + ? WHERE shard = ?")) {
                    ps.setLong(1, samplesAdded);
                    ps.setInt(2, ThreadLocalRandom.current().nextInt(SampleStore.TOTAL_SHARDS));
                    ps.executeUpdate();
                }
            }
            connection.commit();
            done = true;
        } catch (SQLException e) {
            throw new StoreException("commit failed", e);
        } finally {
            release();
        }
    }

    /** Exposes the transaction's connection so that a caller can record its own rows atomically. */
    public Connection connection() {
        return connection;
    }

    @Override
    public void close() {
        try {
            if (!done) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is closed next; the pool discards it if it is broken
        } finally {
            release();
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }
    }

    private void release() {
        for (ReentrantLock lock : held) {
            lock.unlock();
        }
        held.clear();
    }
}
