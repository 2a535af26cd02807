package io.meterflow.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ResolutionTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    @Test
    void sub_day_bins_align_to_the_local_wall_clock() {
        assertEquals(
                at("2025-01-06T10:30:00-05:00"), Resolution.MIN_15.floor(at("2025-01-06T10:37:12-05:00"), NEW_YORK));
        assertEquals(
                at("2025-01-06T10:35:00-05:00"), Resolution.MIN_5.floor(at("2025-01-06T10:37:12-05:00"), NEW_YORK));
        assertEquals(
                at("2025-01-06T10:00:00+05:30"),
                Resolution.HR_1.floor(at("2025-01-06T10:37:00+05:30"), ZoneId.of("Asia/Kolkata")));
        assertEquals(
                at("2025-01-06T10:30:00+05:45"),
                Resolution.MIN_30.floor(at("2025-01-06T10:59:59+05:45"), ZoneId.of("Asia/Kathmandu")));
    }

    @Test
    void days_run_from_local_midnight_to_local_midnight_including_dst_days() {
        Instant spring = Resolution.DAY_1.floor(at("2025-03-09T12:00:00-04:00"), NEW_YORK);
        assertEquals(at("2025-03-09T00:00:00-05:00"), spring);
        assertEquals(Duration.ofHours(23), Duration.between(spring, Resolution.DAY_1.next(spring, NEW_YORK)));
        Instant autumn = Resolution.DAY_1.floor(at("2025-11-02T23:00:00-05:00"), NEW_YORK);
        assertEquals(Duration.ofHours(25), Duration.between(autumn, Resolution.DAY_1.next(autumn, NEW_YORK)));
        Instant berlinSpring = Resolution.DAY_1.floor(at("2025-03-30T12:00:00+02:00"), BERLIN);
        assertEquals(at("2025-03-30T00:00:00+01:00"), berlinSpring);
        assertEquals(Duration.ofHours(23), Duration.between(berlinSpring, Resolution.DAY_1.next(berlinSpring, BERLIN)));
        Instant berlinAutumn = Resolution.DAY_1.floor(at("2025-10-26T01:00:00+02:00"), BERLIN);
        assertEquals(Duration.ofHours(25), Duration.between(berlinAutumn, Resolution.DAY_1.next(berlinAutumn, BERLIN)));
    }

    @Test
    void hours_on_the_autumn_day_are_distinct_bins_on_both_sides_of_the_change() {
        Instant first = at("2025-11-02T01:00:00-04:00");
        Instant second = Resolution.HR_1.next(first, NEW_YORK);
        assertEquals(at("2025-11-02T01:00:00-05:00"), second);
        assertEquals(second, Resolution.HR_1.floor(at("2025-11-02T01:30:00-05:00"), NEW_YORK));
    }

    @Test
    void weeks_start_on_monday() {
        Instant wednesday = at("2025-01-08T15:00:00-05:00");
        Instant monday = Resolution.WEEK_1.floor(wednesday, NEW_YORK);
        assertEquals(at("2025-01-06T00:00:00-05:00"), monday);
        assertEquals(at("2025-01-13T00:00:00-05:00"), Resolution.WEEK_1.next(monday, NEW_YORK));
    }

    @Test
    void unknown_resolutions_name_the_valid_ones() {
        assertEquals(Resolution.HR_1, Resolution.parse("1hr"));
        assertEquals(
                "unknown resolution '2min'; valid: 1sec, 1min, 5min, 15min, 30min, 1hr, 1day, 1week",
                assertThrows(IllegalArgumentException.class, () -> Resolution.parse("2min"))
                        .getMessage());
    }
}
