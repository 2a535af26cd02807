package io.meterflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TimestampParserTest {

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static TimestampParser newYork() {
        return new TimestampParser(ZoneId.of("America/New_York"));
    }

    @Test
    void offsets_in_every_form_are_taken_as_they_are() {
        TimestampParser p = newYork();
        assertEquals(ms("2025-01-15T15:30:00Z"), p.parse("2025-01-15T10:30:00-05:00"));
        assertEquals(ms("2025-01-15T15:30:00Z"), p.parse("2025-01-15 10:30:00-0500"));
        assertEquals(ms("2025-01-15T15:30:00Z"), p.parse("2025-01-15 10:30:00-05"));
        assertEquals(ms("2025-01-15T10:30:00Z"), p.parse("2025-01-15T10:30:00Z"));
        assertEquals(ms("2025-11-24T07:00:01.349Z"), p.parse("2025-11-24 00:00:01.349-0700"));
    }

    @Test
    void local_times_are_in_the_meter_timezone() {
        assertEquals(ms("2025-01-15T15:30:00Z"), newYork().parse("2025-01-15 10:30:00"));
        assertEquals(ms("2025-07-15T14:30:00Z"), newYork().parse("2025-07-15T10:30:00"));
        assertEquals(
                ms("2025-07-15T08:30:00Z"), new TimestampParser(ZoneId.of("Europe/Berlin")).parse("2025-07-15 10:30"));
        assertEquals(ms("2025-01-15T15:30:00.250Z"), newYork().parse("2025/01/15 10:30:00.25"));
    }

    @Test
    void us_dotted_and_epoch_forms_are_understood() {
        assertEquals(ms("2025-01-15T15:30:05Z"), newYork().parse("1/15/2025 10:30:05"));
        assertEquals(ms("2025-01-15T15:30:00Z"), newYork().parse("01/15/2025 10:30 AM"));
        assertEquals(
                ms("2025-01-15T09:30:00Z"), new TimestampParser(ZoneId.of("Europe/Berlin")).parse("15.01.2025 10:30"));
        assertEquals(ms("2025-01-15T15:30:00Z"), newYork().parse("1736955000"));
        assertEquals(ms("2025-01-15T15:30:00.123Z"), newYork().parse("1736955000123"));
    }

    @Test
    void text_that_is_not_a_timestamp_is_invalid() {
        TimestampParser p = newYork();
        assertEquals(TimestampParser.INVALID, p.parse("N/A"));
        assertEquals(TimestampParser.INVALID, p.parse("2025-13-01 00:00:00"));
        assertEquals(TimestampParser.INVALID, p.parse("2025-02-30 00:00:00"));
        assertEquals(TimestampParser.INVALID, p.parse("2025-01-01 25:00:00"));
        assertEquals(TimestampParser.INVALID, p.parse("2025-01-01 10:00:00+99:00"));
        assertEquals(TimestampParser.INVALID, p.parse(""));
    }

    @Test
    void spring_gap_local_times_move_forward_by_the_gap() {
        // 2025-03-09 02:30 does not exist in New York; it is read as 03:30 EDT
        assertEquals(ms("2025-03-09T07:30:00Z"), newYork().parse("2025-03-09 02:30:00"));
        assertEquals(ms("2025-03-09T07:00:00Z"), newYork().parse("2025-03-09 03:00:00"));
        // Berlin: 2025-03-30 02:15 does not exist; read as 03:15 CEST
        assertEquals(
                ms("2025-03-30T01:15:00Z"), new TimestampParser(ZoneId.of("Europe/Berlin")).parse("2025-03-30 02:15"));
    }

    @Test
    void autumn_overlap_takes_the_earlier_offset_when_read_alone() {
        assertEquals(ms("2025-11-02T05:30:00Z"), newYork().parse("2025-11-02 01:30:00"));
        assertEquals(
                ms("2025-10-26T00:30:00Z"), new TimestampParser(ZoneId.of("Europe/Berlin")).parse("2025-10-26 02:30"));
    }

    @Test
    void autumn_overlap_read_in_order_keeps_both_hours() {
        TimestampParser p = newYork();
        assertEquals(ms("2025-11-02T05:00:00Z"), p.parse("2025-11-02 01:00:00"));
        assertEquals(ms("2025-11-02T05:59:59Z"), p.parse("2025-11-02 01:59:59"));
        // the clock goes back: the second 01:00 is EST, one hour after the first
        assertEquals(ms("2025-11-02T06:00:00Z"), p.parse("2025-11-02 01:00:00"));
        assertEquals(ms("2025-11-02T06:30:00Z"), p.parse("2025-11-02 01:30:00"));
        assertEquals(ms("2025-11-02T07:00:00Z"), p.parse("2025-11-02 02:00:00"));
    }

    @Test
    void berlin_overlap_read_in_order_keeps_both_hours() {
        TimestampParser p = new TimestampParser(ZoneId.of("Europe/Berlin"));
        assertEquals(ms("2025-10-26T00:59:00Z"), p.parse("2025-10-26 02:59"));
        assertEquals(ms("2025-10-26T01:00:00Z"), p.parse("2025-10-26 02:00"));
        assertEquals(ms("2025-10-26T01:59:00Z"), p.parse("2025-10-26 02:59"));
        assertEquals(ms("2025-10-26T02:00:00Z"), p.parse("2025-10-26 03:00"));
    }
}
