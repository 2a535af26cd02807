package io.meterflow.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
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
    void one_parser_reads_rows_of_changing_dates_and_refuses_impossible_ones_between_them() {
        TimestampParser p = newYork(); // keeps the last date's day: each row must still be its own
        assertEquals(ms("2025-02-28T15:00:00Z"), p.parse("2025-02-28 10:00:00"));
        assertEquals(TimestampParser.INVALID, p.parse("2025-02-30 10:00:00"));
        assertEquals(TimestampParser.INVALID, p.parse("2025-02-29 10:00:00")); // not a leap year
        assertEquals(ms("2025-02-28T16:00:00Z"), p.parse("2025-02-28 11:00:00"));
        assertEquals(ms("2025-03-01T05:00:00Z"), p.parse("2025-03-01 00:00:00"));
        assertEquals(ms("2024-02-29T15:00:00Z"), p.parse("2024-02-29 10:00:00"));
        assertEquals(ms("2025-03-01T05:00:01Z"), p.parse("2025/03/01 00:00:01"));
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
        // found by TimestampParserFuzzTest: a one-digit second read past the end of the cell
        assertEquals(TimestampParser.INVALID, p.parse("2025-01-15 10:35:5"));
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

    @Test
    void instants_before_1970_or_after_9999_are_not_meter_readings() {
        TimestampParser p = new TimestampParser(ZoneId.of("UTC"));
        assertEquals(TimestampParser.INVALID, p.parse("1900-01-01T00:00:00Z"));
        assertEquals(TimestampParser.INVALID, p.parse("1012-11-24T00:00:00+01:00"));
        assertEquals(TimestampParser.INVALID, p.parse("1969-12-31 23:59:59"));
        assertEquals(ms("1970-01-01T00:00:00Z"), p.parse("1970-01-01 00:00:00"));
        assertEquals(ms("9999-12-31T23:59:59Z"), p.parse("9999-12-31T23:59:59Z"));
        assertEquals(TimestampParser.INVALID, p.parse("9999-12-31T23:59:59-05:00"));
    }

    @Test
    void an_hourly_file_read_in_order_keeps_both_one_oclocks() {
        TimestampParser p = newYork();
        assertEquals(ms("2025-11-02T04:00:00Z"), p.parse("2025-11-02 00:00:00"));
        assertEquals(ms("2025-11-02T05:00:00Z"), p.parse("2025-11-02 01:00:00"));
        assertEquals(ms("2025-11-02T06:00:00Z"), p.parse("2025-11-02 01:00:00"), "the second one is EST");
        assertEquals(ms("2025-11-02T07:00:00Z"), p.parse("2025-11-02 02:00:00"));
    }

    @Test
    void a_newest_first_file_through_the_overlap_keeps_both_hours_in_its_direction() {
        TimestampParser hourly = new TimestampParser(ZoneId.of("America/New_York"), TimestampFormats.DEFAULT, true);
        assertEquals(ms("2025-11-02T07:00:00Z"), hourly.parse("2025-11-02 02:00:00"));
        assertEquals(ms("2025-11-02T06:00:00Z"), hourly.parse("2025-11-02 01:00:00"), "first met: EST");
        assertEquals(ms("2025-11-02T05:00:00Z"), hourly.parse("2025-11-02 01:00:00"), "then EDT");
        assertEquals(ms("2025-11-02T04:00:00Z"), hourly.parse("2025-11-02 00:00:00"));
        TimestampParser quarters = new TimestampParser(ZoneId.of("America/New_York"), TimestampFormats.DEFAULT, true);
        String[] local = {"02:00", "01:45", "01:30", "01:15", "01:00", "01:45", "01:30", "01:15", "01:00", "00:45"};
        String[] utc = {"07:00", "06:45", "06:30", "06:15", "06:00", "05:45", "05:30", "05:15", "05:00", "04:45"};
        for (int i = 0; i < local.length; i++) {
            assertEquals(ms("2025-11-02T" + utc[i] + ":00Z"), quarters.parse("2025-11-02 " + local[i]), local[i]);
        }
    }

    @Test
    void niagara_display_forms_are_read_in_12_or_24_hours_with_the_abbreviation_choosing_in_the_overlap() {
        TimestampParser denver = new TimestampParser(ZoneId.of("America/Denver"));
        assertEquals(ms("2025-11-05T21:19:58Z"), denver.parse("05-Nov-25 2:19:58 PM MST"));
        assertEquals(ms("2025-11-22T07:00:00Z"), denver.parse("22-Nov-25 12:00:00 AM MST"));
        assertEquals(ms("2025-11-22T19:00:00Z"), denver.parse("22-Nov-25 12:00 PM MST"));
        assertEquals(ms("2025-11-05T21:19:58Z"), denver.parse("05-Nov-2025 14:19:58"));
        assertEquals(ms("2025-11-02T08:30:00Z"), denver.parse("02-Nov-25 1:30:00 AM MST"));
        assertEquals(ms("2025-11-02T07:30:00Z"), denver.parse("02-Nov-25 1:30:00 AM MDT"));
        assertEquals(ms("2025-11-05T14:19:58Z"), denver.parse("05-Nov-25 2:19:58 PM UTC"));
        assertEquals(TimestampParser.INVALID, denver.parse("05-Nov-25 13:19:58 PM"));
        assertEquals(TimestampParser.INVALID, denver.parse("05-Okt-25 14:19:58"), "not English");
        assertEquals(TimestampParser.INVALID, denver.parse("05-Nov-25 2:19:58 PM no zone"));
    }

    @Test
    void month_names_of_the_configured_languages_and_patterns_of_ones_own_are_read() {
        TimestampFormats formats = TimestampFormats.of(
                List.of("dd.MM.yy HH:mm:ss", "yyyyMMdd'T'HHmm"), List.of(Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH));
        TimestampParser berlin = new TimestampParser(ZoneId.of("Europe/Berlin"), formats, false);
        assertEquals(ms("2025-10-05T12:19:58Z"), berlin.parse("05-Okt-25 14:19:58 MESZ"));
        assertEquals(ms("2025-03-05T13:19:00Z"), berlin.parse("5 März 2025 14:19"));
        assertEquals(ms("2025-12-05T13:19:00Z"), berlin.parse("05-déc.-25 14:19"));
        assertEquals(ms("2025-07-05T12:19:00Z"), berlin.parse("05-juil.-2025 14:19"));
        assertEquals(ms("2025-07-05T12:19:58Z"), berlin.parse("05.07.25 14:19:58"));
        assertEquals(ms("2025-07-05T12:19:00Z"), berlin.parse("20250705T1419"));
        assertEquals(ms("2025-01-15T10:30:00Z"), berlin.parse("2025-01-15 10:30:00 UTC"));
    }
}
