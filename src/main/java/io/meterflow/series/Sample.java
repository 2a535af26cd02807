package io.meterflow.series;

/** One value of one signal at one instant (epoch milliseconds, UTC). */
public record Sample(long epochMillis, double value) {

    /**
     * The largest magnitude a stored value may have. No meter reading comes near it; beyond it,
     * sums over a day of 1-second samples could overflow to infinity.
     */
    public static final double MAX_MAGNITUDE = 1e15;

    /** Whether {@code v} can be stored: a finite number within ±{@link #MAX_MAGNITUDE}. */
    public static boolean usable(double v) {
        return Math.abs(v) <= MAX_MAGNITUDE; // false for NaN and infinities too
    }
}
