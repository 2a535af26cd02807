package io.meterflow.series;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CounterDeltasTest {

    private static final double NO_LIMIT = Double.POSITIVE_INFINITY;

    @Test
    void rises_are_differences_from_the_previous_reading() {
        CounterDeltas d = new CounterDeltas(NO_LIMIT);
        assertEquals(2, d.step(60, 100, 102, 100));
        assertEquals(3, d.step(120, 103, 105, 103));
        assertEquals(0, d.step(180, 105, 105, 105));
    }

    @Test
    void a_one_step_glitch_to_zero_is_not_a_reset() {
        CounterDeltas d = new CounterDeltas(NO_LIMIT);
        d.step(60, 100, 100, 100);
        assertEquals(0, d.step(120, 0, 0, 0));
        assertEquals(2, d.step(180, 101, 102, 101));
        assertEquals(1, d.step(240, 103, 103, 103));
    }

    @Test
    void a_drop_that_stays_low_is_a_reset_counted_from_the_lowest_reading() {
        CounterDeltas d = new CounterDeltas(NO_LIMIT);
        d.step(60, 100, 100, 100);
        assertEquals(0, d.step(120, 0, 1, 0));
        assertEquals(3, d.step(180, 2, 3, 2));
        assertEquals(2, d.step(240, 4, 5, 4));
    }

    @Test
    void deltas_above_the_physical_limit_are_capped_and_counted() {
        CounterDeltas d = new CounterDeltas(1.0 / 60);
        d.step(60, 0, 0, 0);
        assertEquals(1.0 / 60 * 60, d.step(120, 1, 50, 1), 1e-12);
        assertEquals(1, d.capped());
        assertEquals(0.5, d.step(180, 50.2, 50.5, 50.2), 1e-12);
        assertEquals(1, d.capped());
    }
}
