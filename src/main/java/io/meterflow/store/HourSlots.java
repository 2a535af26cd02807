package io.meterflow.store;

import io.meterflow.series.Rollup;

/**
 * Receives the stored data of one UTC hour for a set of series, hour after hour in time order:
 * {@code slots[series][slot]} is the rollup of that series in that minute (or second) of the
 * hour, null where it has no samples.
 */
@FunctionalInterface
public interface HourSlots {
    void hour(long hourStart, Rollup[][] slots);
}
