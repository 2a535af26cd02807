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
    /** Where a number's digits are made, last first: room for a long's 19 digits, its point and more. */
    private final byte[] digits = new byte[40];

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
        return take(whole(v, digits.length), digits.length);
    }

    /**
     * {@code m} / 10^{@code scale} ({@code m} ≥ 0, {@code scale} from 1 to 18) in decimal: at least
     * one digit before the point and one after it, and no zeros after the last other digit
     * ({@code 25300, 3} gives {@code 25.3}, {@code 5, 3} gives {@code 0.005}, {@code 0, 2} gives
     * {@code 0.0}).
     */
    CsvBytes appendScaled(long m, int scale) {
        int at = fraction(m, scale, digits.length);
        int end = digits.length;
        while (end > at + 1 && digits[end - 1] == '0') {
            end--;
        }
        digits[--at] = '.';
        return take(whole(wholePart, at), end);
    }

    /** Two digits at a time, {@code 00} to {@code 99}: half the divisions of one at a time. */
    private static final byte[] PAIRS = new byte[200];

    static {
        for (int i = 0; i < 100; i++) {
            PAIRS[2 * i] = (byte) ('0' + i / 10);
            PAIRS[2 * i + 1] = (byte) ('0' + i % 10);
        }
    }

    /** What {@link #fraction} leaves of its number: the digits before the point. */
    private long wholePart;

    /**
     * Makes the last {@code n} digits of {@code v}, with leading zeros, in the scratch digits
     * ending at {@code at}; keeps the rest of {@code v} in {@link #wholePart}. Returns where they start.
     */
    private int fraction(long v, int n, int at) {
        for (; n >= 2; n -= 2) {
            int pair = (int) (v % 100);
            v /= 100;
            digits[--at] = PAIRS[2 * pair + 1];
            digits[--at] = PAIRS[2 * pair];
        }
        if (n == 1) {
            digits[--at] = (byte) ('0' + v % 10);
            v /= 10;
        }
        wholePart = v;
        return at;
    }

    /** Makes the digits of {@code v} ≥ 0 in the scratch digits ending at {@code at}; returns where they start. */
    private int whole(long v, int at) {
        for (; v >= 100; v /= 100) {
            int pair = (int) (v % 100);
            digits[--at] = PAIRS[2 * pair + 1];
            digits[--at] = PAIRS[2 * pair];
        }
        int pair = (int) v;
        digits[--at] = PAIRS[2 * pair + 1];
        if (pair >= 10) {
            digits[--at] = PAIRS[2 * pair];
        }
        return at;
    }

    /** Appends the scratch digits from {@code from} to {@code to}. */
    private CsvBytes take(int from, int to) {
        int n = to - from;
        ensure(n);
        System.arraycopy(digits, from, bytes, length, n);
        length += n;
        return this;
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
