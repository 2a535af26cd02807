package io.meterflow.series;

/**
 * Interval energy from a cumulative counter, fed with consecutive steps (minutes or seconds) in
 * time order, each summarised by its count, first, last and min values.
 *
 * <ul>
 *   <li>A rise is energy: the delta of a step is its last value minus the baseline (the last
 *       trusted reading before it).</li>
 *   <li>A drop below the baseline is held back for one step: if the next step is back at or above
 *       the baseline it was a glitch (ignored: the delta is measured from the baseline); if it
 *       stays low the counter was reset, and the energy since the reset is counted from the
 *       lowest value seen.</li>
 *   <li>A delta above {@code maxPerSecond} × the seconds since the baseline (the meter's physical
 *       limit) is capped to that and counted in {@link #capped()}.</li>
 *   <li>Steps without samples are never fed: a gap yields no delta (never a zero); the energy
 *       across a gap is counted in the first step after it.</li>
 * </ul>
 * A drop held back is confirmed or dismissed with the next step, so up to one step of energy can
 * be reported one step late.
 */
public final class CounterDeltas {

    private final double maxPerSecond;
    private boolean hasBaseline;
    private double baseline;
    private long baselineSecond;
    private boolean pendingDrop;
    private double lowest;
    private long capped;

    /** @param maxPerSecond the largest physical rise per second; infinite for no limit */
    public CounterDeltas(double maxPerSecond) {
        this.maxPerSecond = maxPerSecond;
    }

    public long capped() {
        return capped;
    }

    /**
     * Feeds one step ending at {@code epochSecond} and returns its delta (0 while a drop is held
     * back, or for the very first step when it holds one sample).
     */
    public double step(long epochSecond, double first, double last, double min) {
        if (!hasBaseline) {
            hasBaseline = true;
            baseline = last;
            baselineSecond = epochSecond;
            return Math.max(0, last - first);
        }
        if (pendingDrop) {
            pendingDrop = false;
            if (first >= baseline || last >= baseline) {
                // the drop was a glitch: measure from the old baseline
                return rise(epochSecond, last - baseline, last);
            }
            // reset confirmed: energy since the reset, counted from the lowest reading
            lowest = Math.min(lowest, min);
            return rise(epochSecond, last - lowest, last);
        }
        if (last >= baseline) {
            return rise(epochSecond, last - baseline, last);
        }
        pendingDrop = true;
        lowest = min;
        return 0;
    }

    private double rise(long epochSecond, double delta, double newBaseline) {
        double limit = maxPerSecond * Math.max(1, epochSecond - baselineSecond);
        baseline = newBaseline;
        baselineSecond = epochSecond;
        if (delta > limit) {
            capped++;
            return limit;
        }
        return Math.max(0, delta);
    }
}
