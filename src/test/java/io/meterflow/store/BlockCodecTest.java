package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.series.Rollup;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockCodecTest {

    private static final long HOUR = 1_735_707_600_000L; // 2025-01-01T05:00Z

    @Test
    void regular_decimal_samples_round_trip_exactly_and_compactly() {
        int n = 3600;
        long[] t = new long[n];
        double[] v = new double[n];
        SplittableRandom r = new SplittableRandom(1);
        for (int i = 0; i < n; i++) {
            t[i] = HOUR + i * 1000L;
            v[i] = Math.round((250 + r.nextGaussian() * 4) * 100) / 100.0;
        }
        int scale = BlockCodec.scaleOf(v, n);
        assertEquals(2, scale);
        byte[] bytes = BlockCodec.encodeSamples(HOUR, t, v, n, scale);
        BlockCodec.Samples back = BlockCodec.decodeSamples(HOUR, bytes);
        assertArrayEquals(t, back.millis());
        assertArrayEquals(v, back.values());
        assertTrue(bytes.length < n * 1.5, "3600 two-decimal values in " + bytes.length + " bytes");
    }

    @Test
    void blocks_written_as_varint_deltas_before_are_read_as_they_were() {
        // version 1: count, first offset, runs of equal deltas, scale, zig-zag varint deltas
        VarBytes old = new VarBytes(32);
        old.writeByte(1);
        old.writeUnsigned(3);
        old.writeSigned(5_000);
        old.writeUnsigned(1);
        old.writeUnsigned(1_000);
        old.writeUnsigned(2);
        old.writeByte(2);
        old.writeSigned(12_345);
        old.writeSigned(-45);
        old.writeSigned(100);
        BlockCodec.Samples back = BlockCodec.decodeSamples(HOUR, old.toByteArray());
        assertArrayEquals(new long[] {HOUR + 5_000, HOUR + 6_000, HOUR + 7_000}, back.millis());
        assertArrayEquals(new double[] {123.45, 123.0, 124.0}, back.values());
    }

    @Test
    void irregular_times_and_non_decimal_values_round_trip_exactly() {
        long[] t = {HOUR + 1, HOUR + 349, HOUR + 1349, HOUR + 1350, HOUR + 3_599_999};
        double[] v = {Math.PI, -0.0, 1e-300, Double.MAX_VALUE, 1.0 / 3};
        int scale = BlockCodec.scaleOf(v, v.length);
        assertEquals(-1, scale);
        BlockCodec.Samples back = BlockCodec.decodeSamples(HOUR, BlockCodec.encodeSamples(HOUR, t, v, v.length, scale));
        assertArrayEquals(t, back.millis());
        assertArrayEquals(v, back.values());
    }

    @Test
    void a_block_with_one_sample_a_minute_keeps_no_minute_rollups_and_reads_the_same_ones() {
        int n = 60;
        long[] t = new long[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = HOUR + i * 60_000L + 7_000;
            v[i] = 1000.5 + i * 0.25;
        }
        long hourStart = HOUR / 1000;
        EncodedBlock b = EncodedBlock.encode(7, hourStart, t, v, n);
        assertTrue(BlockCodec.derived(b.minutes()), "1-minute data: no rollups of its own");
        Rollup[] stored = BlockCodec.minutes(HOUR, b.minutes(), b.samples());
        Rollup[] made = BlockCodec.minuteRollups(HOUR, t, v, n);
        assertArrayEquals(made, stored);
        assertEquals(1000.5, stored[0].mean());
        assertTrue(b.samples().length + b.minutes().length < 200, "bytes " + (b.samples().length + b.minutes().length));
        // a second sample in one minute: rollups are kept
        t[1] = t[0] + 1_000;
        assertTrue(
                !BlockCodec.derived(EncodedBlock.encode(7, hourStart, t, v, n).minutes()));
    }

    @Test
    void minute_rollups_hold_count_sum_min_max_first_last() {
        long[] t = {HOUR, HOUR + 20_000, HOUR + 40_000, HOUR + 120_000, HOUR + 179_000};
        double[] v = {1.5, 3.25, 0.75, 10, 20};
        Rollup[] minutes = BlockCodec.decodeMinutes(BlockCodec.encodeMinutes(
                BlockCodec.minuteRollups(HOUR, t, v, v.length), BlockCodec.scaleOf(v, v.length)));
        assertEquals(new Rollup(3, 5.5, 0.75, 3.25, 1.5, 0.75), minutes[0]);
        assertNull(minutes[1]);
        assertEquals(new Rollup(2, 30, 10, 20, 10, 20), minutes[2]);
        assertEquals(58, Arrays.stream(minutes).filter(m -> m == null).count());
    }

    @Test
    void minute_sums_are_exact_where_naive_double_sums_drift() {
        long[] t = new long[60];
        double[] v = new double[60];
        for (int i = 0; i < 60; i++) {
            t[i] = HOUR + i * 1000L;
            v[i] = 0.1;
        }
        Rollup m = BlockCodec.decodeMinutes(
                BlockCodec.encodeMinutes(BlockCodec.minuteRollups(HOUR, t, v, 60), BlockCodec.scaleOf(v, 60)))[0];
        assertEquals(6.0, m.sum());
        assertEquals(0.1, m.mean());
    }

    @Test
    void huge_values_fall_back_to_raw_rollups() {
        long[] t = {HOUR, HOUR + 1000};
        double[] v = {4e15, 4.5e15};
        Rollup m = BlockCodec.decodeMinutes(
                BlockCodec.encodeMinutes(BlockCodec.minuteRollups(HOUR, t, v, 2), BlockCodec.scaleOf(v, 2)))[0];
        assertEquals(new Rollup(2, 8.5e15, 4e15, 4.5e15, 4e15, 4.5e15), m);
    }
}
