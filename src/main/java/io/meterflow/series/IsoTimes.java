package io.meterflow.series;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Timestamps as users see and write them: ISO 8601 with seconds and offset, {@code 2025-03-09T03:00:00-04:00}. */
public final class IsoTimes {

    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    /** A date and a time separated by a space, as pandas and SQL write them: {@code 2025-01-01 00:00:00}. */
    private static final Pattern SPACED = Pattern.compile("(\\d{4}-\\d{2}-\\d{2}) +(\\d{2}:.*)");

    private IsoTimes() {}

    public static String format(Instant t, ZoneId zone) {
        return t == null ? null : OffsetDateTime.ofInstant(t, zone).format(FORMAT);
    }

    /** In UTC, to the second, as the export service wrote them: {@code 2024-01-01T10:00:00Z}. */
    public static String utc(Instant t) {
        return t == null ? null : UTC.format(t);
    }

    /**
     * An ISO 8601 date-time with an offset (a space may stand for the {@code T}), or without one (then local time in {@code zone}), or a
     * date (its local midnight).
     *
     * @throws DateTimeParseException when {@code text} is none of these
     */
    public static Instant parse(String text, ZoneId zone) {
        String t = text.trim();
        Matcher spaced = SPACED.matcher(t);
        if (spaced.matches()) {
            t = spaced.group(1) + "T" + spaced.group(2);
        }
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
