package io.meterflow.series;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResamplerTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    private final List<Instant> bins = new ArrayList<>();
    private final List<double[]> rows = new ArrayList<>();

    private Resampler resampler(
            ResampleColumn[] columns, int series, Resolution r, ZoneId zone, String first, String endExclusive) {
        double[] limits = new double[series];
        Arrays.fill(limits, Double.POSITIVE_INFINITY);
        return new Resampler(columns, series, limits, r, zone, at(first), at(endExclusive), (bin, values) -> {
            bins.add(bin);
            rows.add(values.clone());
        });
    }

    private static Instant at(String offsetDateTime) {
        return OffsetDateTime.parse(offsetDateTime).toInstant();
    }

    private static Rollup one(double v) {
        return new Rollup(1, v, v, v, v, v);
    }

    @Test
    void minute_slots_become_exact_five_minute_means_with_empty_bins_in_the_gaps() {
        ResampleColumn[] cols = {
            new ResampleColumn("kw", 0, Aggregation.MEAN, false),
            new ResampleColumn("kw_max", 0, Aggregation.MAX, false),
            new ResampleColumn("pf", 1, Aggregation.MEAN, false)
        };
        Resampler r = resampler(
                cols, 2, Resolution.MIN_5, NEW_YORK, "2025-01-06T00:00:00-05:00", "2025-01-06T00:15:00-05:00");
        long t0 = at("2025-01-06T00:00:00-05:00").getEpochSecond();
        // minute 0: 60 samples summing 600 (mean 10); minute 1: 30 samples summing 600 (mean 20)
        r.slot(t0, 60, new Rollup[] {new Rollup(60, 600, 5, 15, 5, 15), new Rollup(1, 0.9, 0.9, 0.9, 0.9, 0.9)});
        r.slot(t0 + 60, 60, new Rollup[] {new Rollup(30, 600, 18, 22, 18, 22), null});
        // nothing in 00:05-00:10; one minute at 00:12
        r.slot(t0 + 720, 60, new Rollup[] {one(7), one(0.5)});
        r.finish();
        assertEquals(
                List.of(
                        at("2025-01-06T00:00:00-05:00"),
                        at("2025-01-06T00:05:00-05:00"),
                        at("2025-01-06T00:10:00-05:00")),
                bins);
        // the exact mean is 1200 / 90, not the mean of the minute means (15)
        assertArrayEquals(new double[] {1200.0 / 90, 22, 0.9}, rows.get(0));
        assertArrayEquals(new double[] {Double.NaN, Double.NaN, Double.NaN}, rows.get(1));
        assertArrayEquals(new double[] {7, 7, 0.5}, rows.get(2));
        assertEquals(3, r.rowsEmitted());
    }

    @Test
    void counter_columns_give_last_values_and_interval_deltas_with_gaps_left_empty() {
        ResampleColumn[] cols = {
            new ResampleColumn("pos_ae", 0, Aggregation.LAST, false),
            new ResampleColumn("pos_ae_delta", 0, Aggregation.LAST, true)
        };
        Resampler r = resampler(
                cols, 1, Resolution.MIN_15, NEW_YORK, "2025-01-06T00:00:00-05:00", "2025-01-06T01:00:00-05:00");
        long t0 = at("2025-01-06T00:00:00-05:00").getEpochSecond();
        r.slot(t0 - 60, 60, new Rollup[] {one(99)}); // before the range: the baseline only
        r.slot(t0, 60, new Rollup[] {one(100)});
        r.slot(t0 + 600, 60, new Rollup[] {one(104)});
        r.slot(t0 + 960, 60, new Rollup[] {one(110)});
        // 00:30-00:45 has no data; at 00:45 a reset to 0 that stays low
        r.slot(t0 + 2700, 60, new Rollup[] {one(0.5)});
        r.slot(t0 + 2760, 60, new Rollup[] {one(1.5)});
        r.finish();
        assertEquals(4, rows.size());
        assertArrayEquals(new double[] {104, 5}, rows.get(0));
        assertArrayEquals(new double[] {110, 6}, rows.get(1));
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, rows.get(2));
        assertArrayEquals(new double[] {1.5, 1.0}, rows.get(3));
    }

    @Test
    void daily_sums_follow_local_days_of_23_and_25_hours() {
        for (String[] c : new String[][] {
            {"America/New_York", "2025-03-08T00:00:00-05:00", "2025-03-11T00:00:00-04:00", "24,23,24"},
            {"Europe/Berlin", "2025-10-25T00:00:00+02:00", "2025-10-28T00:00:00+01:00", "24,25,24"}
        }) {
            bins.clear();
            rows.clear();
            ZoneId zone = ZoneId.of(c[0]);
            ResampleColumn[] cols = {new ResampleColumn("e", 0, Aggregation.SUM, false)};
            Resampler r = resampler(cols, 1, Resolution.DAY_1, zone, c[1], c[2]);
            for (long t = at(c[1]).getEpochSecond(); t < at(c[2]).getEpochSecond(); t += 3600) {
                r.slot(t, 60, new Rollup[] {one(1)});
            }
            r.finish();
            assertEquals(
                    c[3],
                    rows.stream()
                            .map(v -> Long.toString((long) v[0]))
                            .reduce((a, b) -> a + "," + b)
                            .orElse(""),
                    c[0]);
        }
    }
}
