package io.meterflow.series;

/** One value of one signal at one instant (epoch milliseconds, UTC). */
public record Sample(long epochMillis, double value) {

    /**
     * The largest magnitude a stored value may have. No meter reading comes near it; beyond it,
     * sums over a day of 1-second samples could overflow to infinity.
     */
    public static final double MAX_MAGNITUDE = 1e15;

    /** The earliest instant a sample may have: no meter recorded before 1970. */
    public static final long EARLIEST_MILLIS = 0L;

    /** The first instant no sample may have: 10000-01-01T00:00:00Z (a four-digit year). */
    public static final long END_MILLIS = 253_402_300_800_000L;

    /** Whether a sample may have this instant: from 1970 to the end of year 9999 (UTC). */
    public static boolean usableTime(long epochMillis) {
        return epochMillis >= EARLIEST_MILLIS && epochMillis < END_MILLIS;
    }

    /** Whether {@code v} can be stored: a finite number within ±{@link #MAX_MAGNITUDE}. */
    public static boolean usable(double v) {
        return Math.abs(v) <= MAX_MAGNITUDE; // false for NaN and infinities too
    }
}
