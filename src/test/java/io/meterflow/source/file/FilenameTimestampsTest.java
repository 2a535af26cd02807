package io.meterflow.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class FilenameTimestampsTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private static Instant parse(String name) {
        return FilenameTimestamps.parse(name, NEW_YORK).orElse(null);
    }

    @Test
    void unity_names_carry_their_own_offset() {
        assertEquals(Instant.parse("2025-11-06T23:00:00Z"), parse("AN53111387-H-2025-11-06T15-00-00-0800-1min.csv"));
        assertEquals(Instant.parse("2025-01-01T05:00:00Z"), parse("AN53111387-E-2025-01-01T00-00-00-0500-1sec.csv"));
    }

    @Test
    void unity_names_without_offset_are_local_meter_time() {
        assertEquals(Instant.parse("2025-07-01T19:00:00Z"), parse("AN53111387-H-2025-07-01T15-00-00.csv"));
    }

    @Test
    void standard_names_with_underscore_or_t_are_local_meter_time() {
        assertEquals(Instant.parse("2024-01-15T15:30:00Z"), parse("20240115_103000.csv"));
        assertEquals(Instant.parse("2024-01-15T15:30:00Z"), parse("20240115T103000.csv"));
        assertEquals(Instant.parse("2024-07-15T14:30:00Z"), parse("meter_20240715_103000.csv"));
    }

    @Test
    void dash_names_are_local_meter_time() {
        assertEquals(Instant.parse("2024-01-15T15:30:00Z"), parse("2024-01-15_10-30-00.csv"));
    }

    @Test
    void short_names_are_two_digit_year_and_minutes() {
        assertEquals(Instant.parse("2024-01-15T15:30:00Z"), parse("240115.1030.csv"));
    }

    @Test
    void names_without_a_timestamp_or_with_an_impossible_one_give_nothing() {
        assertTrue(FilenameTimestamps.parse("readings.csv", NEW_YORK).isEmpty());
        assertTrue(FilenameTimestamps.parse("export-final-v2.csv", NEW_YORK).isEmpty());
        assertTrue(FilenameTimestamps.parse("20241399_103000.csv", NEW_YORK).isEmpty());
    }
}
