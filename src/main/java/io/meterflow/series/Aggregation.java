package io.meterflow.series;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a bin's samples become one value. {@code AUTO} chooses by {@link SignalKind}: gauges the
 * mean, counters the last value plus an interval-energy column, interval energy the sum, alarms
 * and max-typed signals the max, min-typed signals the min. The others apply to every column
 * ({@code MEAN} is what the pandas CSV server did).
 */
public enum Aggregation {
    AUTO,
    MEAN,
    MIN,
    MAX,
    LAST,
    SUM;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the valid aggregations */
    public static Aggregation parse(String key) {
        for (Aggregation a : values()) {
            if (a.key().equalsIgnoreCase(key)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown aggregation '" + key + "'; valid: "
                + Arrays.stream(values()).map(Aggregation::key).collect(Collectors.joining(", ")));
    }

    /** The aggregation a signal of {@code kind} gets under this choice. */
    public Aggregation forKind(SignalKind kind) {
        if (this != AUTO) {
            return this;
        }
        return switch (kind) {
            case GAUGE -> MEAN;
            case COUNTER -> LAST;
            case INTERVAL -> SUM;
            case ALARM, MAX -> MAX;
            case MIN -> MIN;
        };
    }
}
