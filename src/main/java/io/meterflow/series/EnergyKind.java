package io.meterflow.series;

/**
 * Whether an energy signal (its unit says kWh, kvarh or kVAh) is a cumulative register or an
 * amount per interval, from its values in time order: a register never falls and reads above
 * zero (it may stand still for a long time, as at night); an amount per interval rises and falls,
 * or is zero while nothing is used. A register that resets inside the values looks like amounts;
 * a signal's kind can always be set in {@code meters.yaml}.
 */
public final class EnergyKind {

    private EnergyKind() {}

    /** Counter or interval from the first {@code n} values (NaN skipped); interval when fewer than two remain. */
    public static SignalKind of(double[] valuesInTimeOrder, int n) {
        double previous = Double.NaN;
        int seen = 0;
        boolean rose = false;
        boolean positive = false;
        for (int i = 0; i < n; i++) {
            double v = valuesInTimeOrder[i];
            if (v != v) {
                continue;
            }
            if (seen > 0) {
                if (v < previous) {
                    return SignalKind.INTERVAL;
                }
                rose |= v > previous;
            }
            positive |= v > 0;
            previous = v;
            seen++;
        }
        return seen >= 2 && (rose || positive) ? SignalKind.COUNTER : SignalKind.INTERVAL;
    }
}
