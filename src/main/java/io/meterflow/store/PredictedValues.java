package io.meterflow.store;

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
        long[] u = new long[n - 1];
        Prediction prediction = new Prediction(predictor, m[0]);
        for (int i = 1; i < n; i++) {
            long r = m[i] - prediction.next();
            u[i - 1] = (r << 1) ^ (r >> 63);
            prediction.add(m[i]);
        }
        BitStream.Writer bits = new BitStream.Writer(n * 2);
        for (int from = 0; from < u.length; from += CHUNK) {
            int to = Math.min(u.length, from + CHUNK);
            int k = bestK(u, from, to);
            bits.write(k, 6);
            for (int i = from; i < to; i++) {
                long q = u[i] >>> k;
                if (q < ESCAPE) {
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

    /** The predictor whose residuals have the smallest absolute sum. */
    static int bestPredictor(long[] m, int n) {
        int best = PREVIOUS;
        double bestSum = Double.POSITIVE_INFINITY;
        for (int predictor = PREVIOUS; predictor <= MEAN8; predictor++) {
            Prediction prediction = new Prediction(predictor, m[0]);
            double sum = 0;
            for (int i = 1; i < n; i++) {
                sum += Math.abs((double) m[i] - prediction.next());
                prediction.add(m[i]);
            }
            if (sum < bestSum) {
                bestSum = sum;
                best = predictor;
            }
        }
        return best;
    }

    /**
     * The Rice parameter that codes {@code u[from, to)} in the fewest bits, searched from 0 to just
     * above log2 of the mean (an outlier raises the mean, not the best parameter).
     */
    private static int bestK(long[] u, int from, int to) {
        double mean = 0;
        for (int i = from; i < to; i++) {
            mean += u[i];
        }
        mean /= (to - from);
        int guess = mean < 1 ? 0 : Math.min(MAX_K, 63 - Long.numberOfLeadingZeros((long) mean));
        int best = guess;
        long bestBits = Long.MAX_VALUE;
        for (int k = 0; k <= Math.min(MAX_K, guess + 1); k++) {
            long total = 0;
            for (int i = from; i < to; i++) {
                long q = u[i] >>> k;
                total += q < ESCAPE ? q + 1 + k : ESCAPE + 64;
            }
            if (total < bestBits) {
                bestBits = total;
                best = k;
            }
        }
        return best;
    }

    /** The running prediction of the next value from the values seen so far. */
    private static final class Prediction {
        private final int predictor;
        private long previous;
        private long beforePrevious;
        private final long[] ring = new long[8];
        private int at;
        private long ringSum;

        Prediction(int predictor, long first) {
            if (predictor < PREVIOUS || predictor > MEAN8) {
                throw new IllegalStateException("unknown value predictor " + predictor);
            }
            this.predictor = predictor;
            previous = first;
            beforePrevious = first;
            java.util.Arrays.fill(ring, first);
            ringSum = first * 8;
        }

        long next() {
            return switch (predictor) {
                case PREVIOUS -> previous;
                case LINEAR -> 2 * previous - beforePrevious;
                default -> Math.floorDiv(ringSum, 8);
            };
        }

        void add(long value) {
            beforePrevious = previous;
            previous = value;
            ringSum += value - ring[at];
            ring[at] = value;
            at = (at + 1) & 7;
        }
    }
}
