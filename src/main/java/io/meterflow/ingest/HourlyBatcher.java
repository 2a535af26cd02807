package io.meterflow.ingest;

import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.Sample;
import io.meterflow.store.EncodedBlock;
import io.meterflow.store.SeriesCatalog;
import io.meterflow.store.TransactionWork;
import io.meterflow.store.WriteSession;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * One write's rows, as a {@link SampleWriter} hands them to a source: collected into per-hour
 * buffers, each hour encoded into a block when the rows move on (in the source's thread), so that
 * memory holds a couple of hours of rows whatever the input's length, and the blocks are small.
 * Within an hour, rows are sorted by time and a repeated timestamp keeps the later row (counted as
 * a duplicate). A write whose blocks grow beyond {@link #LARGE_BYTES} becomes a large write: its
 * blocks go to the store as they are made, in a transaction of its own.
 */
public final class HourlyBatcher implements RowSink {

    private static final long HOUR_MILLIS = 3_600_000L;
    private static final int MAX_OPEN_HOURS = 2;

    /** Encoded bytes a write keeps in memory before its blocks are written as they come. */
    static final long LARGE_BYTES = 32L << 20;

    /** Where a large write's blocks go: a transaction opened for it alone. */
    interface LargeWrites {
        WriteSession open();
    }

    private final Meter meter;
    private final MeterRegistry registry;
    private final SeriesCatalog catalog;
    private final LargeWrites large;
    private final TreeMap<Long, HourBuffer> open = new TreeMap<>();
    /** The hour the last row went to: most rows go where the row before them went. */
    private HourBuffer current;

    private final List<EncodedBlock> blocks = new ArrayList<>();
    private final List<TransactionWork> extras = new ArrayList<>();
    private long blockBytes;
    private WriteSession session;
    private String[] signals;
    private String[] displayNames;
    private long[] seriesIds;
    private long firstMillis = Long.MAX_VALUE;
    private long lastMillis = Long.MIN_VALUE;
    private long duplicateRows;
    private long unusableValues;
    private long samplesWritten;
    private final long retainedFromMillis;
    private long expiredRows;
    private long rows;

    HourlyBatcher(
            Meter meter, MeterRegistry registry, SeriesCatalog catalog, LargeWrites large, long retainedFromMillis) {
        this.meter = meter;
        this.registry = registry;
        this.catalog = catalog;
        this.large = large;
        this.retainedFromMillis = retainedFromMillis;
    }

    @Override
    public void columns(String[] signals) {
        this.signals = signals;
        this.seriesIds = new long[signals.length];
        Arrays.fill(seriesIds, -1);
    }

    @Override
    public void row(long epochMillis, double[] values) {
        if (epochMillis < retainedFromMillis) {
            expiredRows++; // older than the raw retention keeps: its month holds only rollups
            return;
        }
        long hour = Math.floorDiv(epochMillis, HOUR_MILLIS);
        HourBuffer buffer = current;
        if (buffer == null || buffer.hour != hour) {
            buffer = open.get(hour);
            if (buffer == null) {
                if (open.size() >= MAX_OPEN_HOURS) {
                    flush(open.pollFirstEntry().getValue());
                }
                buffer = HourBuffer.take(hour, signals.length);
                open.put(hour, buffer);
            }
            current = buffer;
        }
        buffer.add(epochMillis, values);
        rows++;
        firstMillis = Math.min(firstMillis, epochMillis);
        lastMillis = Math.max(lastMillis, epochMillis);
    }

    /** Display names of the signals (null entries where a name needs none); before the first row. */
    public void displayNames(String[] names) {
        this.displayNames = names;
    }

    /** Encodes every hour still buffered (the writer does it before committing; a source may do it earlier). */
    public void flush() {
        while (!open.isEmpty()) {
            flush(open.pollFirstEntry().getValue());
        }
    }

    /** The earliest row time so far (epoch millis); {@code Long.MAX_VALUE} before the first row. */
    public long firstMillis() {
        return firstMillis;
    }

    /** The latest row time so far (epoch millis); {@code Long.MIN_VALUE} before the first row. */
    public long lastMillis() {
        return lastMillis;
    }

    /** Rows dropped because a later row of the same hour had the same timestamp (hours flushed so far). */
    public long duplicateRows() {
        return duplicateRows;
    }

    /** Values dropped because they cannot be stored: infinite, or beyond ±{@link Sample#MAX_MAGNITUDE}. */
    public long unusableValues() {
        return unusableValues;
    }

    /** Rows taken so far. */
    public long rows() {
        return rows;
    }

    /** Rows skipped for being older than the raw retention keeps (see {@code meterflow.store.raw-retention-days}). */
    public long expiredRows() {
        return expiredRows;
    }

    /** Samples written so far (new or replaced values of the hours flushed so far). */
    public long samplesWritten() {
        return samplesWritten;
    }

    /** Rows of the source's own, committed atomically with the samples (after them). */
    public void alsoInTransaction(TransactionWork work) {
        extras.add(work);
    }

    /** The blocks kept in memory (all of them, unless the write became large). */
    List<EncodedBlock> blocks() {
        return blocks;
    }

    List<TransactionWork> extras() {
        return extras;
    }

    /** The transaction of a large write, or null while the blocks fit in memory. */
    WriteSession largeSession() {
        return session;
    }

    private void flush(HourBuffer buffer) {
        if (buffer == current) {
            current = null;
        }
        int[] order = buffer.sortedUniqueOrder(); // null: the rows are in order already, each time once
        int rowsKept = order == null ? buffer.size : order.length;
        duplicateRows += buffer.size - rowsKept;
        List<EncodedBlock> hour = new ArrayList<>(signals.length);
        long[] millis = null;
        double[] values = null;
        for (int s = 0; s < signals.length; s++) {
            double[] column = buffer.columns[s];
            if (order == null && allUsable(column, buffer.size)) {
                // the buffer's own rows, as they are: no copy
                hour.add(EncodedBlock.encode(seriesId(s), buffer.hour * 3600, buffer.millis, column, buffer.size));
                samplesWritten += buffer.size;
                continue;
            }
            if (millis == null) {
                millis = new long[rowsKept];
                values = new double[rowsKept];
            }
            int n = 0;
            for (int i = 0; i < rowsKept; i++) {
                int k = order == null ? i : order[i];
                double v = column[k];
                if (Sample.usable(v)) {
                    millis[n] = buffer.millis[k];
                    values[n++] = v;
                } else if (v == v) {
                    unusableValues++; // infinite or beyond ±1e15: never stored, from any source
                }
            }
            if (n > 0) {
                hour.add(EncodedBlock.encode(seriesId(s), buffer.hour * 3600, millis, values, n));
                samplesWritten += n;
            }
        }
        buffer.release();
        if (session != null) {
            session.write(hour);
            return;
        }
        for (EncodedBlock b : hour) {
            blocks.add(b);
            blockBytes += b.samples().length + b.minutes().length + 64;
        }
        if (blockBytes > LARGE_BYTES) {
            session = large.open();
            session.write(blocks);
            blocks.clear();
        }
    }

    /** Whether every one of the first {@code n} values can be stored (none empty, none out of range). */
    private static boolean allUsable(double[] values, int n) {
        for (int i = 0; i < n; i++) {
            if (!Sample.usable(values[i])) {
                return false;
            }
        }
        return n > 0;
    }

    private long seriesId(int s) {
        if (seriesIds[s] < 0) {
            seriesIds[s] = catalog.idFor(
                    meter.id(),
                    signals[s],
                    registry.kindOf(meter, signals[s]),
                    displayNames == null ? null : displayNames[s]);
        }
        return seriesIds[s];
    }

    /**
     * The rows of one hour, column by column. A buffer flushed is kept for the next hour its thread
     * reads (a source reads file after file, hour after hour), unless it grew large.
     */
    private static final class HourBuffer {

        /** Rows a buffer kept for reuse may hold: an hour of 1-second data, and some. */
        private static final int MAX_KEPT_ROWS = 1 << 13;

        private static final ThreadLocal<ArrayDeque<HourBuffer>> KEPT = ThreadLocal.withInitial(ArrayDeque::new);

        long hour;
        long[] millis = new long[1024];
        double[][] columns;
        int size;

        private HourBuffer(int signals) {
            this.columns = new double[signals][1024];
        }

        /** An empty buffer for {@code hour}: one this thread flushed before, or a new one. */
        static HourBuffer take(long hour, int signals) {
            HourBuffer b = KEPT.get().pollFirst();
            if (b == null) {
                b = new HourBuffer(signals);
            } else if (b.columns.length != signals) {
                b.columns = new double[signals][b.millis.length];
            }
            b.hour = hour;
            b.size = 0;
            return b;
        }

        /** The buffer is no longer needed: kept for this thread's next hour (two at most). */
        void release() {
            ArrayDeque<HourBuffer> kept = KEPT.get();
            if (millis.length <= MAX_KEPT_ROWS && kept.size() < MAX_OPEN_HOURS) {
                kept.addFirst(this);
            }
        }

        void add(long epochMillis, double[] values) {
            if (size == millis.length) {
                millis = Arrays.copyOf(millis, size * 2);
                for (int s = 0; s < columns.length; s++) {
                    columns[s] = Arrays.copyOf(columns[s], size * 2);
                }
            }
            millis[size] = epochMillis;
            for (int s = 0; s < columns.length; s++) {
                columns[s][size] = values[s];
            }
            size++;
        }

        /**
         * Row indexes in time order, keeping only the last row of each timestamp; null when the
         * rows are in time order already, each timestamp once.
         */
        int[] sortedUniqueOrder() {
            boolean sorted = true;
            for (int i = 1; i < size && sorted; i++) {
                sorted = millis[i] > millis[i - 1];
            }
            if (sorted) {
                return null;
            }
            Integer[] boxed = new Integer[size];
            for (int i = 0; i < size; i++) {
                boxed[i] = i;
            }
            // stable sort: among equal timestamps the later row stays last
            Arrays.sort(boxed, (a, b) -> Long.compare(millis[a], millis[b]));
            int[] order = new int[size];
            int n = 0;
            for (int i = 0; i < size; i++) {
                if (n > 0 && millis[boxed[i]] == millis[order[n - 1]]) {
                    order[n - 1] = boxed[i];
                } else {
                    order[n++] = boxed[i];
                }
            }
            return Arrays.copyOf(order, n);
        }
    }
}
