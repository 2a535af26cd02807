package io.meterflow.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The UTF-8 bytes of an export's CSV text as its rows are made: cells are appended as bytes, with
 * no {@link StringBuilder}, {@code char[]} or character encoder between them and the stream, and
 * written out whenever the caller chooses ({@link #writeTo}).
 *
 * <p>{@link #append(char)} and {@link #appendAscii} take ASCII only (digits, signs, separators,
 * the time's text); {@link #append(String)} encodes any text (a column's name).
 */
final class CsvBytes {

    private byte[] bytes;
    private int length;

    CsvBytes(int capacity) {
        bytes = new byte[capacity];
    }

    int length() {
        return length;
    }

    /** Drops what was appended after the first {@code length} bytes. */
    void setLength(int length) {
        this.length = length;
    }

    /** An ASCII character. */
    CsvBytes append(char c) {
        ensure(1);
        bytes[length++] = (byte) c;
        return this;
    }

    /** Bytes already encoded (a date's text made once a day). */
    CsvBytes append(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, length, b.length);
        length += b.length;
        return this;
    }

    /** Any text, in UTF-8. */
    CsvBytes append(String s) {
        return append(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The characters {@code from} to {@code to} of an ASCII string ({@link Double#toString}'s). */
    CsvBytes appendAscii(String s, int from, int to) {
        ensure(to - from);
        for (int i = from; i < to; i++) {
            bytes[length++] = (byte) s.charAt(i);
        }
        return this;
    }

    /** A whole number in decimal, as {@link Long#toString} writes it. */
    CsvBytes append(long v) {
        if (v < 0) {
            if (v == Long.MIN_VALUE) {
                return append(Long.toString(v));
            }
            append('-');
            v = -v;
        }
        int n = digitCount(v);
        ensure(n);
        length += n;
        digits(v, length, n);
        return this;
    }

    /**
     * {@code m} / 10^{@code scale} ({@code m} ≥ 0, {@code scale} from 1 to 18) in decimal: at least
     * one digit before the point and one after it, and no zeros after the last other digit
     * ({@code 25300, 3} gives {@code 25.3}, {@code 5, 3} gives {@code 0.005}, {@code 0, 2} gives
     * {@code 0.0}).
     */
    CsvBytes appendScaled(long m, int scale) {
        int whole = Math.max(1, digitCount(m) - scale);
        int end = length + whole + 1 + scale;
        ensure(end - length);
        long wholePart = digits(m, end, scale);
        int point = end - scale - 1;
        bytes[point] = '.';
        digits(wholePart, point, whole);
        while (end > point + 2 && bytes[end - 1] == '0') {
            end--;
        }
        length = end;
        return this;
    }

    /** Two digits at a time, {@code 00} to {@code 99}: half the divisions of one at a time. */
    private static final byte[] PAIRS = new byte[200];

    private static final long[] POW10 = new long[19];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    /** How many decimal digits {@code v} ≥ 0 has (1 for 0). */
    private static int digitCount(long v) {
        int guess = (64 - Long.numberOfLeadingZeros(v)) * 1233 >>> 12; // log10 from log2, at most one short
        return guess < POW10.length && v >= POW10[guess] ? guess + 1 : Math.max(guess, 1);
    }

    /**
     * Writes the last {@code n} digits of {@code v} ≥ 0, with leading zeros, to end just before
     * {@code end}; returns what is left of {@code v} (its digits before those).
     */
    private long digits(long v, int end, int n) {
        int at = end;
        for (; n >= 2; n -= 2) {
            int pair = (int) (v % 100);
            v /= 100;
            bytes[--at] = PAIRS[2 * pair + 1];
            bytes[--at] = PAIRS[2 * pair];
        }
        if (n == 1) {
            bytes[--at] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return v;
    }

    /** Writes the bytes appended so far to {@code out} and starts again empty. */
    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, length);
        length = 0;
    }

    /** The text appended so far. */
    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length + more, 2 * bytes.length));
        }
    }
}
