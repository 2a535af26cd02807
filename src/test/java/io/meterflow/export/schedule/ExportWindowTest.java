package io.meterflow.export.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class ExportWindowTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    private static Instant at(String s) {
        return OffsetDateTime.parse(s).toInstant();
    }

    @Test
    void previous_day_is_local_midnight_to_midnight_also_on_dst_days() {
        ExportWindow day = ExportWindow.parse("previous-day");
        ExportWindow.Range spring = day.at(at("2025-03-10T02:00:00-04:00"), NEW_YORK);
        assertEquals(at("2025-03-09T00:00:00-05:00"), spring.start());
        assertEquals(Duration.ofHours(23), Duration.between(spring.start(), spring.endExclusive()));
        ExportWindow.Range autumn = day.at(at("2025-10-27T02:00:00+01:00"), BERLIN);
        assertEquals(at("2025-10-26T00:00:00+02:00"), autumn.start());
        assertEquals(Duration.ofHours(25), Duration.between(autumn.start(), autumn.endExclusive()));
        assertEquals(at("2025-10-26T23:59:59+01:00"), autumn.endInclusive());
    }

    @Test
    void previous_week_month_and_last_hours() {
        ExportWindow.Range week = ExportWindow.parse("previous-week").at(at("2025-01-08T03:30:00-05:00"), NEW_YORK);
        assertEquals(at("2024-12-30T00:00:00-05:00"), week.start());
        assertEquals(at("2025-01-06T00:00:00-05:00"), week.endExclusive());
        ExportWindow.Range month = ExportWindow.parse("previous-month").at(at("2025-03-01T01:00:00-05:00"), NEW_YORK);
        assertEquals(at("2025-02-01T00:00:00-05:00"), month.start());
        assertEquals(at("2025-03-01T00:00:00-05:00"), month.endExclusive());
        ExportWindow.Range hours = ExportWindow.parse("last-hours:6").at(at("2025-01-08T10:42:00-05:00"), NEW_YORK);
        assertEquals(at("2025-01-08T04:00:00-05:00"), hours.start());
        assertEquals(at("2025-01-08T10:00:00-05:00"), hours.endExclusive());
        ExportWindow lastMinutes = ExportWindow.parse("last-minutes:15");
        ExportWindow.Range minutes = lastMinutes.at(at("2025-01-08T10:42:31-05:00"), NEW_YORK);
        assertEquals(at("2025-01-08T10:27:00-05:00"), minutes.start());
        assertEquals(at("2025-01-08T10:42:00-05:00"), minutes.endExclusive());
        assertEquals(
                at("2025-01-08T10:57:00-05:00"),
                lastMinutes.next(minutes, NEW_YORK).endExclusive());
        assertEquals("last-minutes:15", lastMinutes.text());
    }

    @Test
    void backfill_dates_and_next_windows_step_through_local_days() {
        ExportWindow day = ExportWindow.parse("previous-day");
        ExportWindow.Range first = day.forDate(LocalDate.of(2025, 11, 1), NEW_YORK);
        assertEquals(at("2025-11-01T00:00:00-04:00"), first.start());
        ExportWindow.Range second = day.next(first, NEW_YORK);
        assertEquals(at("2025-11-02T00:00:00-04:00"), second.start());
        assertEquals(Duration.ofHours(25), Duration.between(second.start(), second.endExclusive()));
        assertEquals(at("2025-11-03T00:00:00-05:00"), day.next(second, NEW_YORK).start());
        assertEquals(
                at("2025-01-06T00:00:00-05:00"),
                ExportWindow.parse("previous-week")
                        .forDate(LocalDate.of(2025, 1, 9), NEW_YORK)
                        .start());
    }

    @Test
    void unknown_windows_are_rejected() {
        assertThrows(IllegalArgumentException.class, () -> ExportWindow.parse("yesterday"));
        assertThrows(IllegalArgumentException.class, () -> ExportWindow.parse("last-hours:0"));
        assertThrows(IllegalArgumentException.class, () -> ExportWindow.parse("last-minutes:1441"));
    }
}
