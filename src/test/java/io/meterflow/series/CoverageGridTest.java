package io.meterflow.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Local days × hours from samples per stored UTC hour, on ordinary and DST days. */
class CoverageGridTest {

    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** 60 samples in every UTC hour from {@code from} (inclusive) to {@code to} (exclusive), epoch seconds. */
    private static Map<Long, Long> full(long from, long to) {
        Map<Long, Long> m = new HashMap<>();
        for (long h = from; h < to; h += 3600) {
            m.put(h, 60L);
        }
        return m;
    }

    @Test
    void missing_hours_are_zero_and_the_median_is_what_a_full_hour_holds() {
        LocalDate day = LocalDate.of(2024, 12, 20);
        long start = day.atStartOfDay(NEW_YORK).toEpochSecond();
        Map<Long, Long> samples = full(start, start + 24 * 3600);
        samples.remove(start + 3 * 3600);
        samples.put(start + 7 * 3600, 30L);
        CoverageGrid.Grid grid = CoverageGrid.of(day, day, NEW_YORK, samples);
        Long[] hours = grid.days().get(0).hours();
        assertEquals(0L, hours[3]);
        assertEquals(30L, hours[7]);
        assertEquals(60L, hours[23]);
        assertEquals(24, grid.hoursInRange());
        assertEquals(23, grid.hoursWithData());
        assertEquals(60, grid.expectedPerHour());
    }

    @Test
    void the_hour_skipped_in_spring_is_null_and_the_hour_repeated_in_autumn_holds_both() {
        LocalDate spring = LocalDate.of(2024, 3, 10);
        long s0 = spring.atStartOfDay(NEW_YORK).toEpochSecond();
        CoverageGrid.Grid march = CoverageGrid.of(spring, spring, NEW_YORK, full(s0, s0 + 23 * 3600));
        Long[] m = march.days().get(0).hours();
        assertNull(m[2], "02:00 does not exist that day");
        assertEquals(60L, m[1]);
        assertEquals(60L, m[3]);
        assertEquals(23, march.hoursInRange());
        assertEquals(23, march.hoursWithData());

        LocalDate autumn = LocalDate.of(2024, 11, 3);
        long a0 = autumn.atStartOfDay(NEW_YORK).toEpochSecond();
        CoverageGrid.Grid november = CoverageGrid.of(autumn, autumn, NEW_YORK, full(a0, a0 + 25 * 3600));
        Long[] n = november.days().get(0).hours();
        assertEquals(120L, n[1], "01:00 twice");
        assertEquals(60L, n[2]);
        assertEquals(24, november.hoursInRange());
    }

    @Test
    void days_without_any_data_have_an_expected_count_of_zero() {
        LocalDate day = LocalDate.of(2024, 12, 20);
        CoverageGrid.Grid grid = CoverageGrid.of(day, day.plusDays(1), ZoneId.of("UTC"), Map.of());
        assertEquals(2, grid.days().size());
        assertEquals(48, grid.hoursInRange());
        assertEquals(0, grid.hoursWithData());
        assertEquals(0, grid.expectedPerHour());
    }
}
