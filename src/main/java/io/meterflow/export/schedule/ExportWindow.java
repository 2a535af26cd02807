package io.meterflow.export.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/**
 * Which data a scheduled export covers, relative to the moment it runs, in the definition's
 * timezone: the previous local day (midnight to midnight, 23 h or 25 h on DST days), the previous
 * week (Monday to Monday), the previous month, the last N whole hours, or the last N whole minutes.
 *
 * @param length the N of {@code last-hours:N} and {@code last-minutes:N}
 */
public record ExportWindow(Kind kind, int length) {

    /** The kinds of window. */
    public enum Kind {
        PREVIOUS_DAY,
        PREVIOUS_WEEK,
        PREVIOUS_MONTH,
        LAST_HOURS,
        LAST_MINUTES
    }

    /** A concrete window: {@code [start, endExclusive)}. */
    public record Range(Instant start, Instant endExclusive) {
        /** The inclusive end used by export requests: one second before the exclusive end. */
        public Instant endInclusive() {
            return endExclusive.minusSeconds(1);
        }
    }

    /**
     * {@code previous-day}, {@code previous-week}, {@code previous-month}, {@code last-hours:N} (N up
     * to a year of hours) or {@code last-minutes:N} (N up to a day of minutes).
     */
    public static ExportWindow parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "previous-day":
                return new ExportWindow(Kind.PREVIOUS_DAY, 0);
            case "previous-week":
                return new ExportWindow(Kind.PREVIOUS_WEEK, 0);
            case "previous-month":
                return new ExportWindow(Kind.PREVIOUS_MONTH, 0);
            default:
                Integer hours = count(t, "last-hours:", 24 * 366);
                if (hours != null) {
                    return new ExportWindow(Kind.LAST_HOURS, hours);
                }
                Integer minutes = count(t, "last-minutes:", 24 * 60);
                if (minutes != null) {
                    return new ExportWindow(Kind.LAST_MINUTES, minutes);
                }
                throw new IllegalArgumentException("unknown window '" + text
                        + "' (expected previous-day, previous-week, previous-month, last-hours:N or last-minutes:N)");
        }
    }

    /** The N of {@code <prefix>N} when {@code text} is one with 1 <= N <= {@code max}, else null. */
    private static Integer count(String text, String prefix, int max) {
        if (!text.startsWith(prefix)) {
            return null;
        }
        try {
            int n = Integer.parseInt(text.substring(prefix.length()));
            return n > 0 && n <= max ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The window as written in {@code exports.yaml}: what {@link #parse} reads. */
    public String text() {
        return switch (kind) {
            case PREVIOUS_DAY -> "previous-day";
            case PREVIOUS_WEEK -> "previous-week";
            case PREVIOUS_MONTH -> "previous-month";
            case LAST_HOURS -> "last-hours:" + length;
            case LAST_MINUTES -> "last-minutes:" + length;
        };
    }

    /** The window of a run at {@code at}. */
    public Range at(Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        LocalDate today = local.toLocalDate();
        return switch (kind) {
            case PREVIOUS_DAY ->
                new Range(
                        today.minusDays(1).atStartOfDay(zone).toInstant(),
                        today.atStartOfDay(zone).toInstant());
            case PREVIOUS_WEEK -> {
                LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                yield new Range(
                        monday.minusWeeks(1).atStartOfDay(zone).toInstant(),
                        monday.atStartOfDay(zone).toInstant());
            }
            case PREVIOUS_MONTH -> {
                LocalDate first = today.withDayOfMonth(1);
                yield new Range(
                        first.minusMonths(1).atStartOfDay(zone).toInstant(),
                        first.atStartOfDay(zone).toInstant());
            }
            case LAST_HOURS -> {
                Instant end = local.truncatedTo(ChronoUnit.HOURS).toInstant();
                yield new Range(end.minus(Duration.ofHours(length)), end);
            }
            case LAST_MINUTES -> {
                Instant end = local.truncatedTo(ChronoUnit.MINUTES).toInstant();
                yield new Range(end.minus(Duration.ofMinutes(length)), end);
            }
        };
    }

    /** The window for a backfill date: the one a run on the following window boundary would cover. */
    public Range forDate(LocalDate date, ZoneId zone) {
        return switch (kind) {
            case PREVIOUS_DAY -> at(date.plusDays(1).atStartOfDay(zone).toInstant(), zone);
            case PREVIOUS_WEEK ->
                at(
                        date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                                .plusWeeks(1)
                                .atStartOfDay(zone)
                                .toInstant(),
                        zone);
            case PREVIOUS_MONTH ->
                at(date.withDayOfMonth(1).plusMonths(1).atStartOfDay(zone).toInstant(), zone);
            case LAST_HOURS, LAST_MINUTES ->
                at(date.plusDays(1).atStartOfDay(zone).toInstant(), zone);
        };
    }

    /** The window after {@code range} (for backfills over several windows). */
    public Range next(Range range, ZoneId zone) {
        return switch (kind) {
            case PREVIOUS_DAY, PREVIOUS_WEEK, PREVIOUS_MONTH -> {
                Instant probe = range.endExclusive().plusSeconds(1);
                ZonedDateTime z = probe.atZone(zone);
                Instant nextBoundary =
                        switch (kind) {
                            case PREVIOUS_DAY ->
                                z.toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
                            case PREVIOUS_WEEK ->
                                z.toLocalDate()
                                        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY))
                                        .plusWeeks(1)
                                        .atStartOfDay(zone)
                                        .toInstant();
                            default ->
                                z.toLocalDate()
                                        .withDayOfMonth(1)
                                        .plusMonths(1)
                                        .atStartOfDay(zone)
                                        .toInstant();
                        };
                yield at(nextBoundary, zone);
            }
            case LAST_HOURS ->
                new Range(range.endExclusive(), range.endExclusive().plus(Duration.ofHours(length)));
            case LAST_MINUTES ->
                new Range(range.endExclusive(), range.endExclusive().plus(Duration.ofMinutes(length)));
        };
    }
}
