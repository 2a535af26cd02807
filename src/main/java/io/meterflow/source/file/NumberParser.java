package io.meterflow.source.file;

import java.nio.charset.StandardCharsets;

/**
 * Parses decimal numbers straight from bytes, without building strings: the ingest hot path.
 * Results equal {@link Double#parseDouble(String)}; text that is not a finite number gives NaN.
 */
final class NumberParser {

    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private NumberParser() {}

    static double parse(byte[] b, int off, int len) {
        int end = off + len;
        while (off < end && b[off] == ' ') {
            off++;
        }
        while (end > off && b[end - 1] == ' ') {
            end--;
        }
        if (off == end) {
            return Double.NaN;
        }
        int i = off;
        boolean negative = false;
        if (b[i] == '-' || b[i] == '+') {
            negative = b[i] == '-';
            i++;
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean dot = false;
        boolean any = false;
        for (; i < end; i++) {
            byte c = b[i];
            if (c >= '0' && c <= '9') {
                any = true;
                if (mantissa == 0 && c == '0') {
                    if (dot) {
                        scale++;
                    }
                    continue;
                }
                if (++digits > 18) {
                    return slow(b, off, end);
                }
                mantissa = mantissa * 10 + (c - '0');
                if (dot) {
                    scale++;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else if (c == 'e' || c == 'E') {
                return any ? slow(b, off, end) : Double.NaN;
            } else {
                return Double.NaN;
            }
        }
        if (!any) {
            return Double.NaN;
        }
        if (mantissa > (1L << 53) || scale >= POW10.length) {
            return slow(b, off, end);
        }
        double value = scale == 0 ? mantissa : mantissa / POW10[scale];
        return negative ? -value : value;
    }

    private static double slow(byte[] b, int off, int end) {
        try {
            double v = Double.parseDouble(new String(b, off, end - off, StandardCharsets.US_ASCII));
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
