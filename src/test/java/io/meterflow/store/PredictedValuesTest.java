package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PredictedValuesTest {

    private static long[] roundTrip(long[] m) {
        VarBytes out = new VarBytes(16);
        out.writeByte(0x7E); // something before, as in a block
        PredictedValues.encode(m, m.length, out);
        byte[] bytes = out.toByteArray();
        VarBytes.Reader in = new VarBytes.Reader(bytes);
        assertEquals(0x7E, in.readByte());
        long[] back = new long[m.length];
        PredictedValues.decode(bytes, in, m.length, back);
        return back;
    }

    private static int size(long[] m) {
        VarBytes out = new VarBytes(16);
        PredictedValues.encode(m, m.length, out);
        return out.toByteArray().length;
    }

    @Test
    void noise_around_a_mean_takes_the_mean_predictor_and_about_its_entropy() {
        SplittableRandom r = new SplittableRandom(7);
        long[] m = new long[3600];
        for (int i = 0; i < m.length; i++) {
            m[i] = Math.round(27_700 + r.nextGaussian() * 120); // 277.00 V, sigma 1.2 V at 0.01
        }
        assertArrayEquals(m, roundTrip(m));
        assertEquals(PredictedValues.MEAN8, PredictedValues.bestPredictor(m, m.length));
        // a Gaussian of sigma 120 holds about 8.9 bits; the varint deltas took 16
        double bitsPerValue = size(m) * 8.0 / m.length;
        assertTrue(bitsPerValue < 9.8, bitsPerValue + " bits per value");
    }

    @Test
    void a_counter_takes_the_linear_predictor_and_two_bits_or_less() {
        long[] m = new long[3600];
        double counter = 100_000.0;
        for (int i = 0; i < m.length; i++) {
            counter += 0.0333 + i * 1e-6;
            m[i] = Math.round(counter * 1000);
        }
        assertArrayEquals(m, roundTrip(m));
        assertEquals(PredictedValues.LINEAR, PredictedValues.bestPredictor(m, m.length));
        assertTrue(size(m) * 8.0 / m.length < 2.2, size(m) + " bytes");
    }

    @Test
    void steps_take_the_previous_value_predictor() {
        long[] m = new long[500];
        for (int i = 0; i < m.length; i++) {
            m[i] = i < 250 ? 5 : 900;
        }
        assertArrayEquals(m, roundTrip(m));
        assertEquals(PredictedValues.PREVIOUS, PredictedValues.bestPredictor(m, m.length));
        // one bit per unchanged value, one escaped jump, chunk parameters
        assertTrue(size(m) < 90, size(m) + " bytes");
    }

    @Test
    void outliers_extremes_and_chunk_edges_round_trip() {
        long limit = 9_000_000_000_000_000L - 1;
        long[][] cases = {
            {42},
            {-3, 4},
            {limit, -limit, limit, -limit, 0, limit},
            {0, 0, 0, 0, 0, 0, 0, 0, 0, 1_000_000_000_000L, 0, 0, 0, -1},
        };
        for (long[] m : cases) {
            assertArrayEquals(m, roundTrip(m));
        }
        SplittableRandom r = new SplittableRandom(3);
        for (int n : new int[] {63, 64, 65, 66, 128, 129, 1000}) {
            long[] m = new long[n];
            for (int i = 0; i < n; i++) {
                // mostly small noise with a rare jump far past the escape
                m[i] = r.nextInt(50) == 0 ? r.nextLong(-limit, limit) : r.nextInt(-30, 30);
            }
            assertArrayEquals(m, roundTrip(m), "n=" + n);
        }
    }

    @Test
    void an_unknown_predictor_is_refused() {
        byte[] bytes = {9, 0, 0};
        VarBytes.Reader in = new VarBytes.Reader(bytes);
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalStateException.class, () -> PredictedValues.decode(bytes, in, 2, new long[2]));
        assertTrue(e.getMessage().contains("predictor 9"), e.getMessage());
    }

    @Test
    void bits_read_back_as_written() {
        BitStream.Writer w = new BitStream.Writer(1);
        SplittableRandom r = new SplittableRandom(11);
        int n = 5000;
        long[] values = new long[n];
        int[] widths = new int[n];
        for (int i = 0; i < n; i++) {
            widths[i] = r.nextInt(0, 57);
            values[i] = widths[i] == 0 ? 0 : r.nextLong() & ((1L << widths[i]) - 1);
            if (i % 3 == 0) {
                w.ones(widths[i] % 21);
                w.write(0, 1);
            }
            w.write(values[i], widths[i]);
        }
        w.write64(-2L);
        VarBytes out = new VarBytes(1);
        w.finishInto(out);
        BitStream.Reader rd = new BitStream.Reader(out.toByteArray(), 0);
        for (int i = 0; i < n; i++) {
            if (i % 3 == 0) {
                assertEquals(widths[i] % 21, rd.ones(21), "run at " + i);
            }
            assertEquals(values[i], rd.read(widths[i]), "value at " + i);
        }
        assertEquals(-2L, rd.read64());
    }
}
