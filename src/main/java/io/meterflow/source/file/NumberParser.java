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
        // the digits before and after the point, into one integer (at most 18 digits: exact in a long)
        long mantissa = 0;
        int integerStart = i;
        int d;
        while (i < end && (d = b[i] - '0') >= 0 && d <= 9) {
            mantissa = mantissa * 10 + d;
            i++;
        }
        int digits = i - integerStart;
        int fraction = 0;
        if (i < end && b[i] == '.') {
            int fractionStart = ++i;
            while (i < end && (d = b[i] - '0') >= 0 && d <= 9) {
                mantissa = mantissa * 10 + d;
                i++;
            }
            fraction = i - fractionStart;
            digits += fraction;
        }
        if (i < end) {
            return digits > 0 && (b[i] == 'e' || b[i] == 'E') ? slow(b, off, end, shift) : Double.NaN;
        }
        if (digits == 0) {
            return Double.NaN;
        }
        if (digits > 18) {
            return slow(b, off, end, shift); // leading zeros or more digits than a long holds exactly
        }
        int scale = fraction - shift;
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
            if (v == 0 && text.startsWith("-")) {
                v = -0.0; // as the JDK reads a negative zero, and as the fast path does
            }
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException | ArithmeticException e) {
            return Double.NaN;
        }
    }
}
