package io.meterflow.series;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * A meter: where samples come from. Its id is the key everywhere (the MAC for Unity meters);
 * {@code serial} is the base file name of its exports; local times in its files are in {@code zone};
 * {@code maxKw} is its physical power limit (infinite when unknown), which caps counter deltas;
 * {@code columns} names the columns of its files that have no header row (empty: its files have one).
 */
public record Meter(
        String id,
        String serial,
        String site,
        String transformer,
        String description,
        ZoneId zone,
        Map<String, SignalKind> signalKinds,
        double maxKw,
        List<String> columns) {

    public Meter {
        MeterId.require(id);
        signalKinds = Map.copyOf(signalKinds);
        columns = List.copyOf(columns);
    }

    /** A meter whose files all have a header row. */
    public Meter(
            String id,
            String serial,
            String site,
            String transformer,
            String description,
            ZoneId zone,
            Map<String, SignalKind> signalKinds,
            double maxKw) {
        this(id, serial, site, transformer, description, zone, signalKinds, maxKw, List.of());
    }

    /** A meter known only by its id, as one registered from a new inbox folder. */
    public static Meter discovered(String id, ZoneId zone) {
        return new Meter(id, id + "-", null, null, null, zone, Map.of(), Double.POSITIVE_INFINITY);
    }
}
