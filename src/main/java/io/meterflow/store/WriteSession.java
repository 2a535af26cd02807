package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One transaction of sample writes. Each block written is merged with what the store already
 * holds for its series-hour (the new value wins where timestamps are equal) and its rollups
 * recomputed, so late and out-of-order data keep the rollups exact. Stored rows are read
 * {@code FOR UPDATE} in one global order (series, then hour), so writers of other engines on the
 * same database wait for each other instead of deadlocking. Nothing is visible to readers before
 * {@link #commit()}; {@link #close()} without commit rolls back.
 */
public final class WriteSession implements AutoCloseable {

    private static final String SELECT = "SELECT hour_start, samples FROM sample_block"
            + " WHERE series_id = ? AND hour_start >= ? AND hour_start <= ? ORDER BY hour_start FOR UPDATE";
    private static final String INSERT = "INSERT INTO sample_block (sample_count, first_millis, last_millis, value_sum,"
            + " value_min, value_max, first_value, last_value, samples, minutes, updated_at, series_id, hour_start)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE sample_block SET sample_count = ?, first_millis = ?, last_millis = ?,"
            + " value_sum = ?, value_min = ?, value_max = ?, first_value = ?, last_value = ?, samples = ?, minutes = ?,"
            + " updated_at = ? WHERE series_id = ? AND hour_start = ?";

    /** Hours further apart than this are looked up by separate range queries. */
    private static final long GAP_SECONDS = 24 * 3600;

    private static final Comparator<EncodedBlock> ORDER =
            Comparator.comparingLong(EncodedBlock::seriesId).thenComparingLong(EncodedBlock::hourStart);

    private final Connection connection;
    private final Partitions partitions;
    private final long startedNanos = System.nanoTime();
    private long samplesAdded;
    private boolean done;

    WriteSession(Connection connection, Partitions partitions) {
        this.connection = connection;
        this.partitions = partitions;
    }

    /**
     * Writes blocks (several series and hours, in any order; a series-hour given twice keeps the
     * later block's value at equal timestamps), merged with the stored ones: each series-hour is
     * encoded once, however many blocks of it are given.
     */
    public void write(List<EncodedBlock> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        List<EncodedBlock> sorted = new ArrayList<>(blocks);
        sorted.sort(ORDER); // stable: the blocks of one series-hour keep the order they were given in
        partitions.ensure(sorted);
        try (PreparedStatement select = connection.prepareStatement(SELECT);
                PreparedStatement insert = connection.prepareStatement(INSERT);
                PreparedStatement update = connection.prepareStatement(UPDATE)) {
            Timestamp now = Timestamp.from(Instant.now());
            boolean inserts = false;
            boolean updates = false;
            int from = 0;
            while (from < sorted.size()) {
                int to = run(sorted, from);
                Map<Long, byte[]> stored = stored(select, sorted, from, to);
                for (int i = from; i < to; ) {
                    int same = sameHour(sorted, i, to);
                    EncodedBlock b = sorted.get(i);
                    byte[] old = stored.get(b.hourStart());
                    BlockCodec.Samples older = old == null ? null : BlockCodec.decodeSamples(b.hourStart() * 1000, old);
                    EncodedBlock merged = older == null && same - i == 1
                            ? b // a new hour given once: stored as it was encoded
                            : EncodedBlock.merge(older, sorted.subList(i, same));
                    samplesAdded += merged.count() - (older == null ? 0 : older.count());
                    PreparedStatement ps = old == null ? insert : update;
                    bind(ps, merged, now);
                    ps.addBatch();
                    inserts |= old == null;
                    updates |= old != null;
                    i = same;
                }
                from = to;
            }
            if (inserts) {
                insert.executeBatch();
            }
            if (updates) {
                update.executeBatch();
            }
        } catch (SQLException e) {
            if (Sql.isRetryable(e)) {
                throw new RetryableWriteException("a write lost a race with another writer: " + e.getMessage(), e);
            }
            if ("23514".equals(e.getSQLState()) && partitions.partitioned()) {
                // no partition for a month another engine's retention dropped: made again on the retry
                partitions.forgetAll();
                throw new RetryableWriteException("a month's partition was dropped meanwhile", e);
            }
            throw new StoreException("cannot write samples", e);
        }
    }

    /** The end (exclusive) of the blocks from {@code from} of the same series-hour as it. */
    private static int sameHour(List<EncodedBlock> sorted, int from, int to) {
        int same = from + 1;
        while (same < to && sorted.get(same).hourStart() == sorted.get(from).hourStart()) {
            same++;
        }
        return same;
    }

    /** The end (exclusive) of the run of blocks from {@code from}: one series, hours close together. */
    private static int run(List<EncodedBlock> sorted, int from) {
        EncodedBlock first = sorted.get(from);
        int to = from + 1;
        while (to < sorted.size()
                && sorted.get(to).seriesId() == first.seriesId()
                && sorted.get(to).hourStart() - sorted.get(to - 1).hourStart() <= GAP_SECONDS) {
            to++;
        }
        return to;
    }

    /** The stored samples of the run's series in the run's hours, locked, by hour. */
    private static Map<Long, byte[]> stored(PreparedStatement select, List<EncodedBlock> sorted, int from, int to)
            throws SQLException {
        select.setLong(1, sorted.get(from).seriesId());
        select.setLong(2, sorted.get(from).hourStart());
        select.setLong(3, sorted.get(to - 1).hourStart());
        Map<Long, byte[]> found = new HashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                found.put(rs.getLong(1), rs.getBytes(2));
            }
        }
        return found;
    }

    private static void bind(PreparedStatement ps, EncodedBlock b, Timestamp now) throws SQLException {
        ps.setInt(1, b.count());
        ps.setLong(2, b.firstMillis());
        ps.setLong(3, b.lastMillis());
        ps.setDouble(4, b.hour().sum());
        ps.setDouble(5, b.hour().min());
        ps.setDouble(6, b.hour().max());
        ps.setDouble(7, b.hour().first());
        ps.setDouble(8, b.hour().last());
        ps.setBytes(9, b.samples());
        ps.setBytes(10, b.minutes());
        ps.setTimestamp(11, now);
        ps.setLong(12, b.seriesId());
        ps.setLong(13, b.hourStart());
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
            if (Sql.isRetryable(e)) {
                throw new RetryableWriteException("a commit lost a race with another writer: " + e.getMessage(), e);
            }
            throw new StoreException("commit failed", e);
        }
    }

    /** When the transaction began ({@link System#nanoTime()}). */
    public long startedNanos() {
        return startedNanos;
    }

    /** The transaction's connection, for a caller's own rows to commit atomically with the samples. */
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
            try {
                connection.close();
            } catch (SQLException ignored) {
                // nothing more to do
            }
        }
    }
}
