package io.meterflow.series;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Timestamps as users see and write them: ISO 8601 with seconds and offset, {@code 2025-03-09T03:00:00-04:00}. */
public final class IsoTimes {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private IsoTimes() {}

    public static String format(Instant t, ZoneId zone) {
        return t == null ? null : OffsetDateTime.ofInstant(t, zone).format(FORMAT);
    }

    /**
     * An ISO 8601 date-time with an offset, or without one (then local time in {@code zone}), or a
     * date (its local midnight).
     *
     * @throws DateTimeParseException when {@code text} is none of these
     */
    public static Instant parse(String text, ZoneId zone) {
        String t = text.trim();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // no offset: local time in the zone
        }
        try {
            return LocalDateTime.parse(t).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        }
    }
}
