package io.meterflow.series;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;

/**
 * Turns a time-ordered stream of small-slot rollups (minutes, or seconds for {@code 1sec}) of
 * several series into rows of bins: every bin of the requested range is emitted, in order, with
 * NaN where a column has no data. Aggregates are exact: a mean is Σsum / Σcount over the slots.
 * Counter deltas ({@link CounterDeltas}) are fed every slot, including slots before the range,
 * which only set the baseline. Memory: one bin's accumulators.
 */
public final class Resampler {

    /** Receives each finished bin. {@code values} is reused for the next row. */
    public interface Rows {
        void row(Instant binStart, double[] values);
    }

    private final ResampleColumn[] columns;
    private final Resolution resolution;
    private final ZoneId zone;
    private final Instant endExclusive;
    private final Rows rows;
    private final CounterDeltas[] deltas;
    private final double[] values;

    private Instant binStart;
    private Instant binEnd;
    private long binEndSecond;
    private final long[] count;
    private final double[] sum;
    private final double[] min;
    private final double[] max;
    private final double[] last;
    private final double[] delta;
    private long emitted;

    /**
     * @param counterLimits per series: the largest physical rise per second of its counter
     *                      (infinite for none); only series with delta columns use it
     */
    public Resampler(
            ResampleColumn[] columns,
            int seriesCount,
            double[] counterLimits,
            Resolution resolution,
            ZoneId zone,
            Instant firstBin,
            Instant endExclusive,
            Rows rows) {
        this.columns = columns;
        this.resolution = resolution;
        this.zone = zone;
        this.endExclusive = endExclusive;
        this.rows = rows;
        this.deltas = new CounterDeltas[seriesCount];
        for (ResampleColumn c : columns) {
            if (c.delta()) {
                deltas[c.series()] = new CounterDeltas(counterLimits[c.series()]);
            }
        }
        this.values = new double[columns.length];
        this.count = new long[seriesCount];
        this.sum = new double[seriesCount];
        this.min = new double[seriesCount];
        this.max = new double[seriesCount];
        this.last = new double[seriesCount];
        this.delta = new double[seriesCount];
        open(firstBin);
    }

    /** Rows emitted so far. */
    public long rowsEmitted() {
        return emitted;
    }

    /** Counter deltas capped at their meter's physical limit so far. */
    public long cappedDeltas() {
        long n = 0;
        for (CounterDeltas d : deltas) {
            if (d != null) {
                n += d.capped();
            }
        }
        return n;
    }

    /**
     * One slot starting at {@code slotStart} (epoch seconds) lasting {@code slotSeconds};
     * {@code perSeries[s]} is null where series {@code s} has no samples in it. Slots must come in
     * time order.
     */
    public void slot(long slotStart, int slotSeconds, Rollup[] perSeries) {
        long slotEnd = slotStart + slotSeconds;
        boolean inRange = slotStart >= binStart.getEpochSecond() && slotStart < endExclusive.getEpochSecond();
        if (inRange) {
            while (slotStart >= binEndSecond) {
                emit();
            }
        }
        for (int s = 0; s < perSeries.length; s++) {
            Rollup r = perSeries[s];
            if (r == null) {
                continue;
            }
            double d = deltas[s] == null ? 0 : deltas[s].step(slotEnd, r.first(), r.last(), r.min());
            if (!inRange) {
                continue;
            }
            if (count[s] == 0) {
                min[s] = r.min();
                max[s] = r.max();
            } else {
                min[s] = Math.min(min[s], r.min());
                max[s] = Math.max(max[s], r.max());
            }
            count[s] += r.count();
            sum[s] += r.sum();
            last[s] = r.last();
            delta[s] += d;
        }
    }

    /** Emits the remaining bins of the range. */
    public void finish() {
        while (binStart.isBefore(endExclusive)) {
            emit();
        }
    }

    private void emit() {
        for (int i = 0; i < columns.length; i++) {
            ResampleColumn c = columns[i];
            int s = c.series();
            if (count[s] == 0) {
                values[i] = Double.NaN;
            } else if (c.delta()) {
                // differences of decimal readings: drop the binary noise below a nano-unit
                values[i] = Math.round(delta[s] * 1e9) / 1e9;
            } else {
                values[i] = switch (c.aggregation()) {
                    case MEAN, AUTO -> sum[s] / count[s];
                    case MIN -> min[s];
                    case MAX -> max[s];
                    case LAST -> last[s];
                    case SUM -> sum[s];
                };
            }
        }
        rows.row(binStart, values);
        emitted++;
        open(binEnd);
    }

    private void open(Instant start) {
        binStart = start;
        binEnd = resolution.next(start, zone);
        binEndSecond = binEnd.getEpochSecond();
        Arrays.fill(count, 0);
        Arrays.fill(sum, 0);
        Arrays.fill(delta, 0);
    }
}
