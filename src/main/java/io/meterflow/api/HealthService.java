package io.meterflow.api;

import io.meterflow.store.DeadLetters;
import io.meterflow.store.MeterTable;
import io.meterflow.store.SampleStore;
import java.util.LinkedHashMap;
import java.util.Map;

/** The body of {@code GET /health}: status, version, database reachability, meter and sample counts. */
public final class HealthService {

    public static final String VERSION = "0.1.0";

    private final MeterTable meters;
    private final SampleStore store;
    private final DeadLetters deadLetters;

    public HealthService(MeterTable meters, SampleStore store, DeadLetters deadLetters) {
        this.meters = meters;
        this.store = store;
        this.deadLetters = deadLetters;
    }

    public Map<String, Object> check() {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> database = new LinkedHashMap<>();
        body.put("server", "meterflow");
        body.put("version", VERSION);
        try {
            long meterCount = meters.count();
            long samples = store.sampleCount();
            database.put("reachable", true);
            body.put("status", "healthy");
            body.put("database", database);
            body.put("meters", meterCount);
            body.put("samples", samples);
            body.put("dead_letters", deadLetters.count());
        } catch (RuntimeException e) {
            database.put("reachable", false);
            database.put(
                    "error", String.valueOf(e.getCause() != null ? e.getCause().getMessage() : e.getMessage()));
            body.put("status", "unhealthy");
            body.put("database", database);
        }
        return body;
    }
}
