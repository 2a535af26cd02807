package io.meterflow.series;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The output resolutions of composite CSVs. Bins are left-closed and labelled by their start in
 * the export's timezone. Sub-day bins are fixed lengths aligned to the local wall clock
 * ({@code 15min} bins start at :00, :15, :30, :45 local time); {@code 1day} runs from local
 * midnight to local midnight (23 h or 25 h on DST days); {@code 1week} starts on Monday.
 */
public enum Resolution {
    SEC_1("1sec", Duration.ofSeconds(1)),
    MIN_1("1min", Duration.ofMinutes(1)),
    MIN_5("5min", Duration.ofMinutes(5)),
    MIN_15("15min", Duration.ofMinutes(15)),
    MIN_30("30min", Duration.ofMinutes(30)),
    HR_1("1hr", Duration.ofHours(1)),
    DAY_1("1day", Duration.ofDays(1)),
    WEEK_1("1week", Duration.ofDays(7));

    private final String key;
    private final Duration nominal;

    Resolution(String key, Duration nominal) {
        this.key = key;
        this.nominal = nominal;
    }

    public String key() {
        return key;
    }

    /** The nominal length of a bin (a DST day is still counted as one day). */
    public Duration nominal() {
        return nominal;
    }

    public static String validKeys() {
        return Arrays.stream(values()).map(Resolution::key).collect(Collectors.joining(", "));
    }

    /** @throws IllegalArgumentException naming the valid resolutions */
    public static Resolution parse(String key) {
        for (Resolution r : values()) {
            if (r.key.equalsIgnoreCase(key)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown resolution '" + key + "'; valid: " + validKeys());
    }

    /** The start of the bin holding {@code t}. */
    public Instant floor(Instant t, ZoneId zone) {
        if (this == DAY_1 || this == WEEK_1) {
            ZonedDateTime local = t.atZone(zone);
            LocalDate day = local.toLocalDate();
            if (this == WEEK_1) {
                day = day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            }
            return day.atStartOfDay(zone).toInstant();
        }
        long width = nominal.getSeconds();
        long offset = zone.getRules().getOffset(t).getTotalSeconds();
        long local = t.getEpochSecond() + offset;
        return Instant.ofEpochSecond(Math.floorDiv(local, width) * width - offset);
    }

    /** The start of the bin after the one starting at {@code binStart}. */
    public Instant next(Instant binStart, ZoneId zone) {
        if (this == DAY_1 || this == WEEK_1) {
            ZonedDateTime local = binStart.atZone(zone);
            return local.toLocalDate()
                    .plus(this == DAY_1 ? 1 : 7, ChronoUnit.DAYS)
                    .atStartOfDay(zone)
                    .toInstant();
        }
        return binStart.plus(nominal);
    }
}
