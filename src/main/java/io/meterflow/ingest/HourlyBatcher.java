package io.meterflow.ingest;

import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.Sample;
import io.meterflow.store.SeriesCatalog;
import io.meterflow.store.SeriesSamples;
import io.meterflow.store.WriteSession;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * One transaction's rows, as a {@link SampleWriter} hands them to a source: collected into
 * per-hour buffers, each hour written to the store when the rows move on, so memory holds a
 * couple of hours whatever the input's length. Within an hour, rows are sorted by time and a
 * repeated timestamp keeps the later row (counted as a duplicate).
 */
public final class HourlyBatcher implements RowSink {

    private static final long HOUR_MILLIS = 3_600_000L;
    private static final int MAX_OPEN_HOURS = 2;

    private final Meter meter;
    private final MeterRegistry registry;
    private final SeriesCatalog catalog;
    private final WriteSession session;
    private final TreeMap<Long, HourBuffer> open = new TreeMap<>();
    private String[] signals;
    private String[] displayNames;
    private long[] seriesIds;
    private long firstMillis = Long.MAX_VALUE;
    private long lastMillis = Long.MIN_VALUE;
    private long duplicateRows;
    private long unusableValues;

    HourlyBatcher(Meter meter, MeterRegistry registry, SeriesCatalog catalog, WriteSession session) {
        this.meter = meter;
        this.registry = registry;
        this.catalog = catalog;
        this.session = session;
    }

    @Override
    public void columns(String[] signals) {
        this.signals = signals;
        this.seriesIds = new long[signals.length];
        Arrays.fill(seriesIds, -1);
    }

    @Override
    public void row(long epochMillis, double[] values) {
        long hour = Math.floorDiv(epochMillis, HOUR_MILLIS);
        HourBuffer buffer = open.get(hour);
        if (buffer == null) {
            if (open.size() >= MAX_OPEN_HOURS) {
                flush(open.pollFirstEntry().getValue());
            }
            buffer = new HourBuffer(hour, signals.length);
            open.put(hour, buffer);
        }
        buffer.add(epochMillis, values);
        firstMillis = Math.min(firstMillis, epochMillis);
        lastMillis = Math.max(lastMillis, epochMillis);
    }

    /** Display names of the signals (null entries where a name needs none); before the first row. */
    public void displayNames(String[] names) {
        this.displayNames = names;
    }

    /** Writes every hour still buffered (the writer does it before committing; a source may do it earlier). */
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

    /** Samples written so far (hours flushed so far). */
    public long samplesWritten() {
        return session.samplesWritten();
    }

    /** The transaction's connection, for rows of the source's own to commit atomically with the samples. */
    public Connection connection() {
        return session.connection();
    }

    private void flush(HourBuffer buffer) {
        int[] order = buffer.sortedUniqueOrder();
        duplicateRows += buffer.size - order.length;
        List<SeriesSamples> batch = new ArrayList<>(signals.length);
        for (int s = 0; s < signals.length; s++) {
            double[] column = buffer.columns[s];
            long[] millis = new long[order.length];
            double[] values = new double[order.length];
            int n = 0;
            for (int k : order) {
                double v = column[k];
                if (Sample.usable(v)) {
                    millis[n] = buffer.millis[k];
                    values[n++] = v;
                } else if (v == v) {
                    unusableValues++; // infinite or beyond ±1e15: never stored, from any source
                }
            }
            if (n > 0) {
                batch.add(new SeriesSamples(seriesId(s), millis, values, n));
            }
        }
        session.writeHour(buffer.hour * 3600, batch);
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

    /** The rows of one hour, column by column. */
    private static final class HourBuffer {
        final long hour;
        long[] millis = new long[1024];
        final double[][] columns;
        int size;

        HourBuffer(long hour, int signals) {
            this.hour = hour;
            this.columns = new double[signals][1024];
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

        /** Row indexes in time order, keeping only the last row of each timestamp. */
        int[] sortedUniqueOrder() {
            boolean sorted = true;
            for (int i = 1; i < size && sorted; i++) {
                sorted = millis[i] > millis[i - 1];
            }
            if (sorted) {
                int[] order = new int[size];
                for (int i = 0; i < size; i++) {
                    order[i] = i;
                }
                return order;
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
