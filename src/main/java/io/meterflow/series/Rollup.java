package io.meterflow.series;

/**
 * Exact aggregates of the samples of one bucket: with count, sum, min, max, first and last any
 * coarser bucket and any aggregation (mean = Σsum / Σcount) is computed exactly.
 */
public record Rollup(long count, double sum, double min, double max, double first, double last) {

    public double mean() {
        return sum / count;
    }

    /** The rollup of this bucket followed by {@code later}, the next bucket in time. */
    public Rollup then(Rollup later) {
        return new Rollup(
                count + later.count,
                sum + later.sum,
                Math.min(min, later.min),
                Math.max(max, later.max),
                first,
                later.last);
    }
}
