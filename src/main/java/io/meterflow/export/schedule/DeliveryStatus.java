package io.meterflow.export.schedule;

import java.util.Locale;

/** How delivery to one destination of a run went; null in the run where there is no such destination. */
public enum DeliveryStatus {
    DELIVERED,
    FAILED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DeliveryStatus of(String key) {
        return key == null ? null : valueOf(key.toUpperCase(Locale.ROOT));
    }
}
