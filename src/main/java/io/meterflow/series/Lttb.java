package io.meterflow.series;

/**
 * Largest-Triangle-Three-Buckets downsampling (Steinarsson 2013): keeps the first and last
 * points and, from each bucket in between, the point that forms the largest triangle with the
 * point kept before it and the mean of the next bucket. The visual shape survives.
 */
public final class Lttb {

    private Lttb() {}

    /** Indexes of at most {@code threshold} (at least 3) points of {@code (x, y)} (x ascending) to keep. */
    public static int[] select(double[] x, double[] y, int n, int threshold) {
        if (threshold < 3) {
            throw new IllegalArgumentException("threshold must be at least 3, got " + threshold);
        }
        if (threshold >= n) {
            int[] all = new int[n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int[] kept = new int[threshold];
        int k = 0;
        kept[k++] = 0;
        double every = (double) (n - 2) / (threshold - 2);
        int a = 0;
        for (int i = 0; i < threshold - 2; i++) {
            int nextStart = (int) Math.floor((i + 1) * every) + 1;
            int nextEnd = Math.min((int) Math.floor((i + 2) * every) + 1, n);
            double avgX = 0;
            double avgY = 0;
            for (int j = nextStart; j < nextEnd; j++) {
                avgX += x[j];
                avgY += y[j];
            }
            int len = Math.max(1, nextEnd - nextStart);
            avgX /= len;
            avgY /= len;
            int start = (int) Math.floor(i * every) + 1;
            int end = (int) Math.floor((i + 1) * every) + 1;
            double maxArea = -1;
            int chosen = start;
            for (int j = start; j < end; j++) {
                double area = Math.abs((x[a] - avgX) * (y[j] - y[a]) - (x[a] - x[j]) * (avgY - y[a]));
                if (area > maxArea) {
                    maxArea = area;
                    chosen = j;
                }
            }
            kept[k++] = chosen;
            a = chosen;
        }
        kept[k] = n - 1;
        return kept;
    }
}
