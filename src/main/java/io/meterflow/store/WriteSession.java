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
 *
 * <p>Live writes do not rewrite their hour's block: into an hour that is still open (it ended less
 * than {@link SampleStore#OPEN_HOUR_GRACE_SECONDS} ago) whose block is stored, the new samples are
 * appended as a row of {@code sample_delta} ({@link PendingDeltas}). A station's frames of the
 * current hour then write what they bring, not the hour again and again. {@link #foldClosedHours}
 * folds those rows into their blocks once the hour has closed; a write into a closed hour that
 * still has some folds them first. Each value is counted once: a pending row records what it
 * added to its hour when it was appended.
 */
public final class WriteSession implements AutoCloseable {

    private static final String APPEND = "INSERT INTO sample_delta (series_id, hour_start, sample_count, first_millis,"
            + " last_millis, samples) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String DELETE = "DELETE FROM sample_delta WHERE hour_start = ? AND series_id = ? AND id = ?";

    /** Hours further apart than this are looked up by separate range queries. */
    private static final long GAP_SECONDS = 24 * 3600;

    /** At most this many series-hours are folded by one {@link #foldClosedHours}. */
    static final int MAX_FOLDED = 4096;

    private static final Comparator<EncodedBlock> ORDER =
            Comparator.comparingLong(EncodedBlock::seriesId).thenComparingLong(EncodedBlock::hourStart);

    private final Connection connection;
    private final Partitions partitions;
    private final BlockKeys keys;
    private final long openFromHour;
    private final long startedNanos = System.nanoTime();
    private long samplesAdded;
    private boolean done;

    /** @param openFromHour the first hour (epoch seconds) still open: live writes into it are appended */
    WriteSession(Connection connection, Partitions partitions, BlockKeys keys, long openFromHour) {
        this.connection = connection;
        this.partitions = partitions;
        this.keys = keys;
        this.openFromHour = openFromHour;
    }

    /** A range of a series' stored samples, by hour. */
    private String columns() {
        return "SELECT hour_start, samples FROM sample_block WHERE " + keys.range();
    }

    private String insert() {
        return "INSERT INTO sample_block (sample_count, first_millis, last_millis, value_sum, value_min, value_max,"
                + " first_value, last_value, samples, minutes, updated_at, series_id, hour_start"
                + (keys.packed()
                        ? ", block_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                        : ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    }

    private String update() {
        return "UPDATE sample_block SET sample_count = ?, first_millis = ?, last_millis = ?, value_sum = ?,"
                + " value_min = ?, value_max = ?, first_value = ?, last_value = ?, samples = ?, minutes = ?,"
                + " updated_at = ? WHERE " + keys.at();
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
        try (Statements st = new Statements()) {
            long[] pending = PendingDeltas.span(connection);
            int from = 0;
            while (from < sorted.size()) {
                int to = run(sorted, from);
                int open = from;
                while (open < to && sorted.get(open).hourStart() < openFromHour) {
                    open++;
                }
                if (open > from) {
                    writeRun(st, sorted.subList(from, open), pending, false);
                }
                if (open < to) {
                    writeRun(st, sorted.subList(open, to), pending, true);
                }
                from = to;
            }
            st.execute();
        } catch (SQLException e) {
            throw failed(e, "cannot write samples");
        }
    }

    /**
     * Folds the pending rows of hours that have closed into their blocks (at most
     * {@value #MAX_FOLDED} series-hours; the rest at the next call); the number of series-hours folded.
     */
    public int foldClosedHours() {
        try (Statements st = new Statements();
                PreparedStatement closedHours = connection.prepareStatement("SELECT DISTINCT series_id, hour_start"
                        + " FROM sample_delta WHERE hour_start < ? ORDER BY series_id, hour_start")) {
            closedHours.setLong(1, openFromHour);
            closedHours.setMaxRows(MAX_FOLDED);
            List<long[]> closed = new ArrayList<>();
            try (ResultSet rs = closedHours.executeQuery()) {
                while (rs.next()) {
                    closed.add(new long[] {rs.getLong(1), rs.getLong(2)});
                }
            }
            for (int from = 0, to; from < closed.size(); from = to) {
                long series = closed.get(from)[0];
                for (to = from + 1;
                        to < closed.size()
                                && closed.get(to)[0] == series
                                && closed.get(to)[1] - closed.get(to - 1)[1] <= GAP_SECONDS;
                        to++) {}
                long first = closed.get(from)[1];
                long last = closed.get(to - 1)[1];
                Map<Long, byte[]> stored = stored(st.select(), series, first, last);
                Map<Long, List<PendingDeltas.Delta>> deltas = PendingDeltas.of(connection, series, first, last);
                for (Map.Entry<Long, List<PendingDeltas.Delta>> e : deltas.entrySet()) {
                    writeHour(st, series, e.getKey(), stored.get(e.getKey()), e.getValue(), List.of());
                }
            }
            st.execute();
            return closed.size();
        } catch (SQLException e) {
            throw failed(e, "cannot fold pending samples");
        }
    }

    /**
     * Blocks of one series, all in closed hours or all in open ones. A closed hour is merged with
     * its stored block (locked before its pending rows are read) and its pending rows, and
     * rewritten. An open hour's new samples are appended to its stored block as one pending row;
     * an open hour without a block has it inserted whole.
     */
    private void writeRun(Statements st, List<EncodedBlock> run, long[] pending, boolean open) throws SQLException {
        long series = run.get(0).seriesId();
        long first = run.get(0).hourStart();
        long last = run.get(run.size() - 1).hourStart();
        Map<Long, byte[]> stored = stored(open ? st.peek() : st.select(), series, first, last);
        Map<Long, List<PendingDeltas.Delta>> deltas = PendingDeltas.within(pending, first, last)
                ? PendingDeltas.of(connection, series, first, last)
                : Map.of();
        for (int i = 0, same; i < run.size(); i = same) {
            same = sameHour(run, i);
            long hour = run.get(i).hourStart();
            byte[] old = stored.get(hour);
            List<PendingDeltas.Delta> before = deltas.getOrDefault(hour, List.of());
            List<EncodedBlock> group = run.subList(i, same);
            if (!open || old == null) {
                writeHour(st, series, hour, old, before, group);
                continue;
            }
            EncodedBlock delta = group.size() == 1 ? group.get(0) : EncodedBlock.merge(null, group);
            BlockCodec.Samples held = PendingDeltas.applied(hour, BlockCodec.decodeSamples(hour * 1000, old), before);
            int added = EncodedBlock.merge(held, delta.decode()).count() - held.count();
            st.append(series, hour, added, delta);
            samplesAdded += added;
        }
    }

    /**
     * One series-hour written as a block: the stored block (null: none), its pending rows and the
     * new blocks (possibly none), merged in that order; the pending rows are deleted.
     */
    private void writeHour(
            Statements st,
            long series,
            long hour,
            byte[] old,
            List<PendingDeltas.Delta> deltas,
            List<EncodedBlock> group)
            throws SQLException {
        BlockCodec.Samples older = old == null ? null : BlockCodec.decodeSamples(hour * 1000, old);
        long counted = (older == null ? 0 : older.count()) + PendingDeltas.added(deltas);
        older = PendingDeltas.applied(hour, older, deltas);
        EncodedBlock merged;
        if (group.isEmpty()) {
            merged = EncodedBlock.of(series, hour, older);
        } else if (older == null && group.size() == 1) {
            merged = group.get(0); // a new hour given once: stored as it was encoded
        } else {
            merged = EncodedBlock.merge(older, group);
        }
        samplesAdded += merged.count() - counted;
        st.block(old == null, merged);
        for (PendingDeltas.Delta d : deltas) {
            st.delete(hour, series, d.id());
        }
    }

    private RuntimeException failed(SQLException e, String what) {
        if (Sql.isRetryable(e)) {
            return new RetryableWriteException("a write lost a race with another writer: " + e.getMessage(), e);
        }
        if ("23514".equals(e.getSQLState()) && partitions.partitioned()) {
            // no partition for a month another engine's retention dropped: made again on the retry
            partitions.forgetAll();
            return new RetryableWriteException("a month's partition was dropped meanwhile", e);
        }
        return new StoreException(what, e);
    }

    /** The transaction's statements, prepared when first used, their batches run in order by {@link #execute}. */
    private final class Statements implements AutoCloseable {
        private final Timestamp now = Timestamp.from(Instant.now());
        private PreparedStatement select;
        private PreparedStatement peek;
        private PreparedStatement insert;
        private PreparedStatement update;
        private PreparedStatement append;
        private PreparedStatement delete;

        /** Stored samples of a range of hours, locked. */
        PreparedStatement select() throws SQLException {
            return select != null
                    ? select
                    : (select = connection.prepareStatement(
                            columns() + " ORDER BY " + keys.hourOrder("ASC") + " FOR UPDATE"));
        }

        /** Stored samples of a range of hours, not locked: an open hour's block, which only its pending rows change. */
        PreparedStatement peek() throws SQLException {
            return peek != null ? peek : (peek = connection.prepareStatement(columns()));
        }

        void block(boolean isNew, EncodedBlock b) throws SQLException {
            PreparedStatement ps = isNew
                    ? (insert != null ? insert : (insert = connection.prepareStatement(insert())))
                    : (update != null ? update : (update = connection.prepareStatement(update())));
            bind(ps, b, now, isNew);
            ps.addBatch();
        }

        void append(long series, long hour, int added, EncodedBlock delta) throws SQLException {
            if (append == null) {
                append = connection.prepareStatement(APPEND);
            }
            append.setLong(1, series);
            append.setLong(2, hour);
            append.setInt(3, added);
            append.setLong(4, delta.firstMillis());
            append.setLong(5, delta.lastMillis());
            append.setBytes(6, delta.samples());
            append.addBatch();
        }

        void delete(long hour, long series, long id) throws SQLException {
            if (delete == null) {
                delete = connection.prepareStatement(DELETE);
            }
            delete.setLong(1, hour);
            delete.setLong(2, series);
            delete.setLong(3, id);
            delete.addBatch();
        }

        void execute() throws SQLException {
            for (PreparedStatement ps : new PreparedStatement[] {insert, update, append, delete}) {
                if (ps != null) {
                    ps.executeBatch();
                }
            }
        }

        @Override
        public void close() throws SQLException {
            for (PreparedStatement ps : new PreparedStatement[] {select, peek, insert, update, append, delete}) {
                if (ps != null) {
                    ps.close();
                }
            }
        }
    }

    /** The end (exclusive) of the blocks from {@code from} of the same series-hour as it. */
    private static int sameHour(List<EncodedBlock> run, int from) {
        int same = from + 1;
        while (same < run.size() && run.get(same).hourStart() == run.get(from).hourStart()) {
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

    /** The stored samples of a series in the hours {@code first <= h <= last}, by hour. */
    private Map<Long, byte[]> stored(PreparedStatement select, long series, long first, long last) throws SQLException {
        keys.bindRange(select, 1, series, first, last + 3600);
        Map<Long, byte[]> found = new HashMap<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                found.put(rs.getLong(1), rs.getBytes(2));
            }
        }
        return found;
    }

    private void bind(PreparedStatement ps, EncodedBlock b, Timestamp now, boolean isNew) throws SQLException {
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
        if (!isNew) {
            keys.bindAt(ps, 12, b.seriesId(), b.hourStart());
            return;
        }
        ps.setLong(12, b.seriesId());
        ps.setLong(13, b.hourStart());
        if (keys.packed()) {
            ps.setLong(14, BlockKeys.key(b.seriesId(), b.hourStart()));
        }
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
