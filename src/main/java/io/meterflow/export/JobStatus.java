package io.meterflow.export;

import java.util.Locale;

/** Where an asynchronous export job stands; stored and shown as the lower-case key. */
public enum JobStatus {
    PENDING,
    RUNNING,
    COMPLETED,
    FAILED,
    EXPIRED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobStatus of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
