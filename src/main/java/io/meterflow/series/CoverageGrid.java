package io.meterflow.series;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Where a meter has data, as local days × 24 local hours: each cell holds the samples stored in
 * that hour (the most of any of the meter's series), 0 where there are none, and null for an hour
 * that does not exist that day (the hour skipped when clocks go forward). The hour repeated when
 * clocks go back holds both hours' samples. Stored hours are UTC hours, each shown in the local
 * hour it starts in (in a zone with a half-hour offset, the hour across midnight shows on both days).
 */
public final class CoverageGrid {

    /** One local day: its date and 24 cells. */
    public record Day(LocalDate date, Long[] hours) {}

    /**
     * {@code expectedPerHour}: the median of the hours with data (what a complete hour holds for
     * this meter); 0 when no hour has data.
     */
    public record Grid(List<Day> days, long hoursWithData, long hoursInRange, long expectedPerHour) {}

    private CoverageGrid() {}

    /**
     * The grid of the local days {@code first} to {@code last} (inclusive) in {@code zone}, from
     * samples per stored UTC hour ({@code hour start in epoch seconds → samples}).
     */
    public static Grid of(LocalDate first, LocalDate last, ZoneId zone, Map<Long, Long> samplesPerHour) {
        List<Day> days = new ArrayList<>();
        long withData = 0;
        long inRange = 0;
        List<Long> counts = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            Long[] hours = new Long[24];
            Instant start = d.atStartOfDay(zone).toInstant();
            Instant end = d.plusDays(1).atStartOfDay(zone).toInstant();
            // every UTC hour that starts within the local day, assigned to the local hour it starts in
            long from = Math.floorDiv(start.getEpochSecond(), 3600) * 3600;
            for (long h = from; h < end.getEpochSecond(); h += 3600) {
                ZonedDateTime local = Instant.ofEpochSecond(Math.max(h, start.getEpochSecond()))
                        .atZone(zone);
                if (!local.toLocalDate().equals(d)) {
                    continue;
                }
                int hour = local.getHour();
                long n = samplesPerHour.getOrDefault(h, 0L);
                hours[hour] = hours[hour] == null ? n : hours[hour] + n;
                if (n > 0) {
                    counts.add(n);
                }
            }
            for (Long cell : hours) {
                if (cell != null) {
                    inRange++;
                    withData += cell > 0 ? 1 : 0;
                }
            }
            days.add(new Day(d, hours));
        }
        long[] sorted = counts.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        long median = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
        return new Grid(days, withData, inRange, median);
    }
}
