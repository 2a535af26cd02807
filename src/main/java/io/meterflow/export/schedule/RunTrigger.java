package io.meterflow.export.schedule;

import java.util.Locale;

/** What started a scheduled export run; stored and shown as the lower-case key ({@code catch-up}). */
public enum RunTrigger {
    SCHEDULE,
    MANUAL,
    BACKFILL,
    CATCH_UP;

    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static RunTrigger of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
