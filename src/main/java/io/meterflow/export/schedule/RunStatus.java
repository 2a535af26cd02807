package io.meterflow.export.schedule;

import java.util.Locale;

/** How a scheduled export run stands; stored and shown as the lower-case key. */
public enum RunStatus {
    /** Writing or delivering now. */
    RUNNING,
    /** Written and delivered to every destination. */
    COMPLETED,
    /** Written, but an HTTP delivery still fails (tried again at the next run). */
    PARTIAL,
    /** Not written. */
    FAILED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunStatus of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
