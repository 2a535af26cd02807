package io.meterflow.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LttbTest {

    @Test
    void keeps_first_last_and_at_most_threshold_points_including_the_peak() {
        int n = 1000;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i == 437 ? 100 : Math.sin(i / 50.0);
        }
        int[] kept = Lttb.select(x, y, n, 50);
        assertEquals(50, kept.length);
        assertEquals(0, kept[0]);
        assertEquals(n - 1, kept[49]);
        for (int i = 1; i < kept.length; i++) {
            assertTrue(kept[i] > kept[i - 1], "in order");
        }
        assertTrue(Arrays.stream(kept).anyMatch(i -> i == 437), "the spike survives");
    }

    @Test
    void short_series_are_returned_whole() {
        assertArrayEquals(new int[] {0, 1, 2}, Lttb.select(new double[] {1, 2, 3}, new double[] {1, 1, 1}, 3, 10));
        assertArrayEquals(new int[] {}, Lttb.select(new double[] {}, new double[] {}, 0, 10));
    }
}
