package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** H2's packed key of a series-hour: a series' hours are one range of keys, in time order, apart from every other series'. */
class BlockKeysTest {

    private static final long HOUR_2025 = Instant.parse("2025-01-01T00:00:00Z").getEpochSecond();

    @Test
    void a_series_hours_are_one_range_in_time_order() {
        long first = BlockKeys.key(7, 0);
        long y2025 = BlockKeys.key(7, HOUR_2025);
        long next = BlockKeys.key(7, HOUR_2025 + 3600);
        long last = BlockKeys.key(7, BlockKeys.LAST_HOUR);
        assertTrue(first < y2025 && y2025 < next && next < last);
        assertEquals(1, next - y2025, "consecutive hours, consecutive keys");
        assertTrue(last < BlockKeys.key(8, 0), "every hour of series 7 before the first of series 8");
        assertEquals(BlockKeys.key(8, 0), BlockKeys.key(1, 0) * 8, "the migration's series_id * 2^27");
        assertEquals(HOUR_2025 / 3600, y2025 - BlockKeys.key(7, 0), "the migration's hour_start / 3600");
    }

    @Test
    void the_year_9999_fits_and_hours_before_1970_are_refused() {
        long y9999 = Instant.parse("9999-12-31T23:00:00Z").getEpochSecond();
        assertTrue(y9999 < BlockKeys.LAST_HOUR);
        assertTrue(BlockKeys.key(Integer.MAX_VALUE, y9999) > 0);
        StoreException e = assertThrows(StoreException.class, () -> BlockKeys.key(7, -3600));
        assertTrue(e.getMessage().contains("1970"), e.getMessage());
        assertThrows(StoreException.class, () -> BlockKeys.key(-1, HOUR_2025));
    }
}
