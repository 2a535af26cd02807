package io.meterflow.store;

import io.meterflow.series.Rollup;
import io.meterflow.series.Sample;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
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

    /** At most about this many rows (a series' hour each) are held at once by {@link #forEachHour}. */
    static final int WINDOW_ROWS = 4096;

    /** The same for raw samples (1sec), whose blocks are larger: a few MB of them at a time. */
    static final int RAW_WINDOW_ROWS = 512;

    /**
     * An hour is open until this long after its end: live writes into its stored block are
     * appended as pending rows until then, and folded into it after (see {@link WriteSession}).
     */
    public static final long OPEN_HOUR_GRACE_SECONDS = 15 * 60;

    /** How long the raw retention's boundary read from the database serves. */
    private static final long RETAINED_FROM_FRESH_NANOS = 60_000_000_000L;

    private final DataSource ds;
    private final Partitions partitions;
    private final BlockKeys keys;
    private final Clock clock;
    private volatile long retainedFromMillis = -1;
    private volatile long retainedFromReadNanos;

    public SampleStore(DataSource ds) {
        this(ds, Clock.systemUTC());
    }

    /** @param clock what tells which hours are still open */
    public SampleStore(DataSource ds, Clock clock) {
        this.ds = ds;
        this.partitions = new Partitions(ds);
        this.keys = BlockKeys.of(ds);
        this.clock = clock;
    }

    public Partitions partitions() {
        return partitions;
    }

    /** Starts a transaction for writing samples. */
    public WriteSession openSession() {
        try {
            Connection c = ds.getConnection();
            c.setAutoCommit(false);
            return new WriteSession(c, partitions, keys, openFromHour());
        } catch (SQLException e) {
            throw new StoreException("cannot open a write transaction", e);
        }
    }

    /** The first hour (epoch seconds) still open: the one that held the time a grace period ago. */
    long openFromHour() {
        return Math.floorDiv(clock.instant().getEpochSecond() - OPEN_HOUR_GRACE_SECONDS, 3600) * 3600;
    }

    /** The stored samples of one series with {@code fromMillis <= t < toMillis}, in time order. */
    public List<Sample> samples(long seriesId, long fromMillis, long toMillis) {
        List<Sample> out = new ArrayList<>();
        String sql = "SELECT hour_start, samples FROM sample_block WHERE " + keys.range() + " ORDER BY "
                + keys.hourOrder("ASC");
        long fromHour = Math.floorDiv(fromMillis, 3_600_000L) * 3600;
        long lastHour = Math.floorDiv(toMillis - 1, 3_600_000L) * 3600;
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            // pending rows first: if they are folded meanwhile, the block read next holds them, and
            // applying them again changes nothing
            Map<Long, List<PendingDeltas.Delta>> deltas = PendingDeltas.of(c, seriesId, fromHour, lastHour);
            keys.bindRange(ps, 1, seriesId, fromHour, lastHour + 3600);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long hour = rs.getLong(1);
                    BlockCodec.Samples block = BlockCodec.decodeSamples(hour * 1000, rs.getBytes(2));
                    block = PendingDeltas.applied(hour, block, deltas.getOrDefault(hour, List.of()));
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
        String sql = "SELECT minutes, " + SAMPLES_IF_DERIVED + " FROM sample_block WHERE " + keys.at()
                + " UNION ALL SELECT minutes, NULL FROM sample_rollup WHERE series_id = ? AND hour_start = ?";
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            List<PendingDeltas.Delta> deltas =
                    PendingDeltas.of(c, seriesId, hourStart, hourStart).getOrDefault(hourStart, List.of());
            if (!deltas.isEmpty()) {
                BlockCodec.Samples s = PendingDeltas.applied(hourStart, blockSamples(c, seriesId, hourStart), deltas);
                return BlockCodec.minuteRollups(hourStart * 1000, s.millis(), s.values(), s.count());
            }
            int next = keys.bindAt(ps, 1, seriesId, hourStart);
            ps.setLong(next, seriesId);
            ps.setLong(next + 1, hourStart);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? BlockCodec.minutes(hourStart * 1000, rs.getBytes(1), rs.getBytes(2)) : null;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read rollups of series " + seriesId, e);
        }
    }

    /** The decoded samples of one stored block, or null when there is none. */
    private BlockCodec.Samples blockSamples(Connection c, long seriesId, long hourStart) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT samples FROM sample_block WHERE " + keys.at())) {
            keys.bindAt(ps, 1, seriesId, hourStart);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? BlockCodec.decodeSamples(hourStart * 1000, rs.getBytes(1)) : null;
            }
        }
    }

    /**
     * Streams the rollups of {@code seriesIds} for the hours {@code fromHour <= h < toHour} (epoch
     * seconds), one hour at a time, in time order; hours without any data are skipped. With
     * {@code perSecond} the slots are the 3600 seconds of the hour, computed from the raw samples;
     * otherwise the 60 stored minute rollups. Memory holds one window of hours.
     */
    public void forEachHour(long[] seriesIds, long fromHour, long toHour, boolean perSecond, HourSlots consumer) {
        if (seriesIds.length == 0) {
            return;
        }
        // each series' hours by its primary key, one range query per series and window, merged here:
        // a single query over all the series (an IN list, a UNION with sample_rollup, an ORDER BY
        // hour) cost the database 5x as much, most of a year's export at 1min
        String blocks = perSecond
                ? "SELECT hour_start, samples, NULL FROM sample_block"
                : "SELECT hour_start, minutes, " + SAMPLES_IF_DERIVED + " FROM sample_block";
        // in any order: each row has its place in the window (an ORDER BY hour_start is a sort in H2)
        String range = " WHERE series_id = ? AND hour_start >= ? AND hour_start < ?";
        String keyRange = " WHERE " + keys.range();
        fromHour = Math.floorDiv(fromHour + 3599, 3600) * 3600; // the first hour's start
        int series = seriesIds.length;
        long window = Math.max(1, (perSecond ? RAW_WINDOW_ROWS : WINDOW_ROWS) / series) * 3600L;
        // each query reads at most a window's rows; no transaction: the raw retention may move an hour
        // from sample_block to sample_rollup meanwhile, so the blocks are read first, and such an hour
        // is then found in both (its rollups the same), never in neither
        try (Connection c = ds.getConnection();
                PreparedStatement ofBlocks = c.prepareStatement(blocks + keyRange);
                // minute rollups of the hours whose raw samples the retention has dropped (none for 1sec)
                PreparedStatement ofRollups = perSecond
                        ? null
                        : c.prepareStatement("SELECT hour_start, minutes, NULL FROM sample_rollup" + range)) {
            long[] pending = PendingDeltas.span(c);
            for (long from = fromHour, to; from < toHour; from = to) {
                to = Math.min(toHour, from + window);
                WindowRows rows = new WindowRows(from, (int) ((to - from + 3599) / 3600), series);
                for (int s = 0; s < series; s++) {
                    Map<Long, List<PendingDeltas.Delta>> deltas = PendingDeltas.within(pending, from, to - 1)
                            ? PendingDeltas.of(c, seriesIds[s], from, to - 1)
                            : Map.of();
                    keys.bindRange(ofBlocks, 1, seriesIds[s], from, to);
                    rows.read(ofBlocks, s);
                    for (Map.Entry<Long, List<PendingDeltas.Delta>> d : deltas.entrySet()) {
                        long hour = d.getKey();
                        BlockCodec.Samples merged =
                                PendingDeltas.applied(hour, blockSamples(c, seriesIds[s], hour), d.getValue());
                        rows.replace(hour, s, EncodedBlock.of(seriesIds[s], hour, merged), perSecond);
                    }
                    if (ofRollups != null) {
                        ofRollups.setLong(1, seriesIds[s]);
                        ofRollups.setLong(2, from);
                        ofRollups.setLong(3, to);
                        rows.read(ofRollups, s);
                    }
                }
                rows.handTo(consumer, perSecond);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot read samples", e);
        }
    }

    /** The stored bytes of one window of hours of several series, as read, until they are decoded hour by hour. */
    private static final class WindowRows {
        private final long from;
        private final int hours;
        private final int series;
        /** [hour * series + s]: the stored rollups (or samples), and the samples they derive from if any. */
        private final byte[][] stored;

        private final byte[][] derivedFrom;

        WindowRows(long from, int hours, int series) {
            this.from = from;
            this.hours = hours;
            this.series = series;
            this.stored = new byte[hours * series][];
            this.derivedFrom = new byte[hours * series][];
        }

        /** Reads the rows of series {@code s} that {@code ps} (its arguments bound) finds. */
        void read(PreparedStatement ps, int s) throws SQLException {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = (int) ((rs.getLong(1) - from) / 3600) * series + s;
                    stored[i] = rs.getBytes(2);
                    derivedFrom[i] = rs.getBytes(3);
                }
            }
        }

        /** An hour of a series as its pending rows make it, instead of the stored block read. */
        void replace(long hour, int s, EncodedBlock block, boolean perSecond) {
            int i = (int) ((hour - from) / 3600) * series + s;
            stored[i] = perSecond ? block.samples() : block.minutes();
            derivedFrom[i] = perSecond ? null : block.samples();
        }

        void handTo(HourSlots consumer, boolean perSecond) {
            for (int h = 0; h < hours; h++) {
                Rollup[][] slots = null;
                long hour = from + h * 3600L;
                for (int s = 0; s < series; s++) {
                    byte[] bytes = stored[h * series + s];
                    if (bytes == null) {
                        continue;
                    }
                    if (slots == null) {
                        slots = new Rollup[series][];
                    }
                    slots[s] = perSecond
                            ? secondRollups(hour * 1000, bytes)
                            : BlockCodec.minutes(hour * 1000, bytes, derivedFrom[h * series + s]);
                    stored[h * series + s] = null;
                    derivedFrom[h * series + s] = null;
                }
                if (slots != null) {
                    consumer.hour(hour, slots);
                }
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
