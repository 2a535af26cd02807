package io.meterflow.series;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Timestamps as users see them: ISO 8601 with seconds and offset, {@code 2025-03-09T03:00:00-04:00}. */
public final class IsoTimes {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private IsoTimes() {
    }

    public static String format(Instant t, ZoneId zone) {
        return t == null ? null : OffsetDateTime.ofInstant(t, zone).format(FORMAT);
    }
}
