package io.meterflow.store;

import java.util.Arrays;

/**
 * Scaled integer values coded as residuals from a prediction, Rice-coded in chunks.
 *
 * <p>Three predictors, the one with the smallest residuals chosen per block: the previous value
 * (steady signals), the line through the two previous values (energy counters, whose rises are
 * nearly constant: their residuals are a bit or two), and the mean of the eight previous values
 * (noisy readings around a slow mean: the residual's spread is close to the noise itself, where a
 * delta from the previous value doubles its variance). Residuals are zig-zagged and Rice-coded
 * with a parameter chosen per chunk of {@value #CHUNK} values, within a fraction of a bit of their
 * entropy for such distributions; an outlier costs {@value #ESCAPE} + 64 bits instead of a long
 * unary run.
 *
 * <p>Layout: predictor byte, the first value as a zig-zag varint, then the bit stream to the end of
 * the block: per chunk 6 bits of parameter, then per residual a unary quotient and its low bits.
 */
final class PredictedValues {

    static final int PREVIOUS = 0;
    static final int LINEAR = 1;
    static final int MEAN8 = 2;
    static final int CHUNK = 64;
    static final int ESCAPE = 20;
    private static final int MAX_K = 56;

    private PredictedValues() {}

    static void encode(long[] m, int n, VarBytes out) {
        int predictor = bestPredictor(m, n);
        out.writeByte(predictor);
        out.writeSigned(m[0]);
        if (n == 1) {
            return;
        }
        long[] u = residuals(m, n, predictor);
        BitStream.Writer bits = new BitStream.Writer(n + 16);
        for (int from = 0; from < u.length; from += CHUNK) {
            int to = Math.min(u.length, from + CHUNK);
            int k = bestK(u, from, to);
            bits.write(k, 6);
            long lowMask = (1L << k) - 1;
            for (int i = from; i < to; i++) {
                long q = u[i] >>> k;
                if (q < ESCAPE && q + 1 + k <= 56) {
                    // q ones, a zero, then the k low bits, in one write
                    bits.write((((1L << (q + 1)) - 2) << k) | (u[i] & lowMask), (int) q + 1 + k);
                } else if (q < ESCAPE) {
                    bits.ones((int) q);
                    bits.write(0, 1);
                    bits.write(u[i], k);
                } else {
                    bits.ones(ESCAPE);
                    bits.write64(u[i]);
                }
            }
        }
        bits.finishInto(out);
    }

    /** The zig-zagged residuals of values 1 to n-1 from {@code predictor}'s prediction. */
    private static long[] residuals(long[] m, int n, int predictor) {
        long[] u = new long[n - 1];
        switch (predictor) {
            case PREVIOUS -> {
                for (int i = 1; i < n; i++) {
                    u[i - 1] = zigzag(m[i] - m[i - 1]);
                }
            }
            case LINEAR -> {
                u[0] = zigzag(m[1] - m[0]);
                for (int i = 2; i < n; i++) {
                    u[i - 1] = zigzag(m[i] - (2 * m[i - 1] - m[i - 2]));
                }
            }
            default -> {
                MeanOfEight mean = new MeanOfEight(m[0]);
                for (int i = 1; i < n; i++) {
                    u[i - 1] = zigzag(m[i] - mean.value());
                    mean.add(m[i]);
                }
            }
        }
        return u;
    }

    private static long zigzag(long r) {
        return (r << 1) ^ (r >> 63);
    }

    /** Decodes {@code n} values written by {@link #encode} into {@code m}, reading from {@code in}'s position. */
    static void decode(byte[] bytes, VarBytes.Reader in, int n, long[] m) {
        int predictor = in.readByte();
        m[0] = in.readSigned();
        if (n == 1) {
            return;
        }
        BitStream.Reader bits = new BitStream.Reader(bytes, in.position());
        Prediction prediction = new Prediction(predictor, m[0]);
        int k = 0;
        for (int i = 1; i < n; i++) {
            if ((i - 1) % CHUNK == 0) {
                k = (int) bits.read(6);
            }
            int q = bits.ones(ESCAPE);
            long u = q < ESCAPE ? ((long) q << k) | bits.read(k) : bits.read64();
            long r = (u >>> 1) ^ -(u & 1);
            m[i] = prediction.next() + r;
            prediction.add(m[i]);
        }
    }

    /** Values judged when choosing a predictor: a block's first ones tell its kind. */
    private static final int JUDGED = 256;

    /** Residuals beyond this count as this much when predictors are judged (the sums stay in a long). */
    private static final long CAP = 1L << 40;

    /**
     * The predictor whose residuals over the block's first {@value #JUDGED} values have the
     * smallest absolute sum (one pass for all three).
     */
    static int bestPredictor(long[] m, int n) {
        long previous = 0;
        long linear = 0;
        long meanOfEight = 0;
        MeanOfEight mean = new MeanOfEight(m[0]);
        int judged = Math.min(n, JUDGED);
        for (int i = 1; i < judged; i++) {
            long v = m[i];
            long before = i >= 2 ? m[i - 2] : m[0];
            previous += Math.min(CAP, Math.abs(v - m[i - 1]));
            linear += Math.min(CAP, Math.abs(v - (2 * m[i - 1] - before)));
            meanOfEight += Math.min(CAP, Math.abs(v - mean.value()));
            mean.add(v);
        }
        if (previous <= linear && previous <= meanOfEight) {
            return PREVIOUS;
        }
        return linear <= meanOfEight ? LINEAR : MEAN8;
    }

    /**
     * The Rice parameter that codes {@code u[from, to)} in the fewest bits among those around its
     * mean, with and without the values far above it (an outlier raises the mean, not the best
     * parameter).
     */
    private static int bestK(long[] u, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += u[i];
        }
        double mean = sum / (to - from);
        double typical = 0;
        int kept = 0;
        for (int i = from; i < to; i++) {
            if (u[i] <= 8 * mean) {
                typical += u[i];
                kept++;
            }
        }
        // the Rice parameter of a geometric distribution is about log2 of 0.69 × its mean: that
        // one and the next are tried, and around the mean with the outliers where they differ
        int byTypical = log2(0.69 * (kept == 0 ? mean : typical / kept));
        int byMean = log2(0.69 * mean);
        int best = byTypical;
        long bestBits = cost(u, from, to, byTypical);
        int[] others = byMean == byTypical ? new int[] {byTypical + 1} : new int[] {byTypical + 1, byMean, byMean + 1};
        for (int k : others) {
            if (k > MAX_K) {
                continue;
            }
            long bits = cost(u, from, to, k);
            if (bits < bestBits) {
                bestBits = bits;
                best = k;
            }
        }
        return best;
    }

    private static int log2(double mean) {
        return mean < 1 ? 0 : Math.min(MAX_K, 63 - Long.numberOfLeadingZeros((long) mean));
    }

    private static long cost(long[] u, int from, int to, int k) {
        long total = 0;
        for (int i = from; i < to; i++) {
            long q = u[i] >>> k;
            total += q < ESCAPE ? q + 1 + k : ESCAPE + 64;
        }
        return total;
    }

    /** The running prediction of the next value from the values seen so far. */
    private static final class Prediction {
        private final int predictor;
        private long previous;
        private long beforePrevious;
        private final MeanOfEight mean;

        Prediction(int predictor, long first) {
            if (predictor < PREVIOUS || predictor > MEAN8) {
                throw new IllegalStateException("unknown value predictor " + predictor);
            }
            this.predictor = predictor;
            previous = first;
            beforePrevious = first;
            mean = new MeanOfEight(first);
        }

        long next() {
            return switch (predictor) {
                case PREVIOUS -> previous;
                case LINEAR -> 2 * previous - beforePrevious;
                default -> mean.value();
            };
        }

        void add(long value) {
            beforePrevious = previous;
            previous = value;
            mean.add(value);
        }
    }

    /** The floor of the mean of the last eight values, the first value standing in for those before it. */
    private static final class MeanOfEight {
        private final long[] ring = new long[8];
        private int at;
        private long sum;

        MeanOfEight(long first) {
            Arrays.fill(ring, first);
            sum = first * 8;
        }

        long value() {
            return sum >> 3; // the floor of a division by 8
        }

        void add(long value) {
            sum += value - ring[at];
            ring[at] = value;
            at = (at + 1) & 7;
        }
    }
}
