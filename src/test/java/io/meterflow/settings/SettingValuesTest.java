package io.meterflow.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Duration settings as the engine reads them: a unit of ms, s, m or h, milliseconds without one. */
class SettingValuesTest {

    private static long minAge(String value) {
        return new SettingValues(Map.of(Setting.INGEST_MIN_AGE.key(), value)::get).millis(Setting.INGEST_MIN_AGE);
    }

    @Test
    void durations_are_read_in_milliseconds_whatever_their_unit() {
        assertEquals(1_000, new SettingValues(k -> null).millis(Setting.INGEST_MIN_AGE), "the default, 1s");
        assertEquals(0, minAge("0"));
        assertEquals(250, minAge("250"));
        assertEquals(500, minAge("500ms"));
        assertEquals(3_000, minAge("3S"));
        assertEquals(120_000, minAge("2m"));
        assertEquals(3_600_000, minAge("1h"));
        ConfigException e = assertThrows(ConfigException.class, () -> minAge("1.5s"));
        assertEquals("meterflow.ingest.min-age: expected a duration such as 500ms, 1s, 2m, got '1.5s'", e.getMessage());
    }
}
