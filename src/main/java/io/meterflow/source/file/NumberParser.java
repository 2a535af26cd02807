package io.meterflow.source.file;

import java.math.BigDecimal;
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
        return parse(b, off, len, 0);
    }

    /**
     * The number times 10^{@code shift} ({@code shift} -3 reads Wh as kWh), as exactly as
     * {@link Double#parseDouble} reads the shifted decimal ({@code 1234.5} with -3 equals
     * {@code 1.2345}).
     */
    static double parse(byte[] b, int off, int len, int shift) {
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
                    return slow(b, off, end, shift);
                }
                mantissa = mantissa * 10 + (c - '0');
                if (dot) {
                    scale++;
                }
            } else if (c == '.' && !dot) {
                dot = true;
            } else if (c == 'e' || c == 'E') {
                return any ? slow(b, off, end, shift) : Double.NaN;
            } else {
                return Double.NaN;
            }
        }
        if (!any) {
            return Double.NaN;
        }
        scale -= shift;
        if (mantissa > (1L << 53) || scale >= POW10.length || scale < 0 && mantissa > (1L << 53) / 1_000_000) {
            return slow(b, off, end, shift);
        }
        double value = scale == 0 ? mantissa : scale > 0 ? mantissa / POW10[scale] : mantissa * POW10[-scale];
        return negative ? -value : value;
    }

    /**
     * The number at the start of a cell that goes on with a space and a unit ({@code 72.00 °F},
     * {@code 12.5 kWh}), times 10^{@code shift}; NaN when the cell does not start with one.
     */
    static double parseLeading(byte[] b, int off, int len, int shift) {
        int end = off + len;
        while (off < end && b[off] == ' ') {
            off++;
        }
        int i = off;
        if (i < end && (b[i] == '-' || b[i] == '+')) {
            i++;
        }
        while (i < end && ((b[i] >= '0' && b[i] <= '9') || b[i] == '.')) {
            i++;
        }
        if (i == end || b[i] != ' ' || i == off) {
            return Double.NaN;
        }
        int j = i;
        while (j < end && b[j] == ' ') {
            j++;
        }
        if (j == end || (b[j] >= '0' && b[j] <= '9')) {
            return Double.NaN; // "12 34": two numbers, not a number and a unit
        }
        return parse(b, off, i - off, shift);
    }

    private static double slow(byte[] b, int off, int end, int shift) {
        try {
            String text = new String(b, off, end - off, StandardCharsets.US_ASCII);
            double v = shift == 0
                    ? Double.parseDouble(text)
                    : new BigDecimal(text).scaleByPowerOfTen(shift).doubleValue();
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException | ArithmeticException e) {
            return Double.NaN;
        }
    }
}
