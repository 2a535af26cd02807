package io.meterflow.export;

/**
 * Number cells of CSV output as pandas writes floats ({@code 250.0}, {@code 0.1},
 * {@code 253.12333333333333}), but never in E notation; NaN and infinities are empty cells (a CSV
 * never holds {@code NaN} or {@code Infinity}).
 *
 * <p>The digits are {@link Double#toString}'s (the shortest that read back as the same double);
 * where it writes E notation ({@code 4.6126164785E7}, {@code 5.0E-4}) the decimal point is moved
 * in place, giving what {@code new BigDecimal(s).toPlainString()} gives ({@code 46126164.785},
 * {@code 0.00050}) without its cost, and {@code .0} is added to a whole number.
 *
 * <p>Meter readings are short decimals ({@code 277.53}, {@code 46126164.785}): a value that is the
 * double nearest to an integer over 10<sup>s</sup> for a small {@code s} is written from that
 * integer, the same digits at a fraction of {@link Double#toString}'s cost (150–250 ns a value on
 * Java 17, the most of a year's export). Only where no other decimal of {@code s} digits reads back
 * as the same double (the doubles lie closer together than half a unit of the last digit), so the
 * digits cannot differ.
 */
final class CsvNumbers {

    private static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
    private static final int SHORT_DIGITS = 6;

    private CsvNumbers() {}

    static void append(CsvBytes out, double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        double magnitude = Math.abs(v);
        // where Double.toString writes plain digits, or E notation that is made plain with the same digits
        if (magnitude >= 1e-3 && magnitude < 1e12 && appendShort(out, v)) {
            return;
        }
        if (appendShortest(out, v)) {
            return;
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) {
            out.appendAscii(s, 0, s.length());
            return;
        }
        int exponent = Integer.parseInt(s, e + 1, s.length(), 10);
        int start = 0;
        if (s.charAt(0) == '-') {
            out.append('-');
            start = 1;
        }
        // the mantissa d.ddd: its digits without the point; the value is digits × 10^-(scale)
        int point = s.indexOf('.', start);
        int digits = e - start - 1;
        int scale = (e - point - 1) - exponent;
        if (scale <= 0) {
            out.appendAscii(s, start, point).appendAscii(s, point + 1, e);
            for (int i = 0; i < -scale; i++) {
                out.append('0');
            }
            out.append('.').append('0');
        } else if (digits > scale) {
            int whole = digits - scale; // digits before the point
            appendDigits(out, s, start, point, e, 0, whole);
            out.append('.');
            appendDigits(out, s, start, point, e, whole, digits);
        } else {
            out.append('0').append('.');
            for (int i = 0; i < scale - digits; i++) {
                out.append('0');
            }
            appendDigits(out, s, start, point, e, 0, digits);
        }
    }

    /**
     * Writes {@code v} as m / 10^s for the smallest s from 1 that gives exactly v; false when none of
     * a few does. Tried once, at the most digits that still tell the doubles apart: a decimal of
     * fewer digits is one of those with its trailing zeros, which are not written.
     */
    private static boolean appendShort(CsvBytes out, double v) {
        double ulp = Math.ulp(v);
        int scale = SHORT_DIGITS;
        while (ulp * POW10[scale] >= 0.5) {
            if (--scale == 0) {
                return false; // decimals of any of these digits are closer together than the doubles
            }
        }
        double p = POW10[scale];
        long m = Math.round(v * p);
        if (m / p != v) {
            return false;
        }
        if (m < 0) {
            out.append('-');
            m = -m;
        }
        out.appendScaled(m, scale); // the fraction's digits without trailing zeros (at least one)
        return true;
    }

    /**
     * Writes the shortest decimal that reads back as {@code v} (the closest to it where several
     * are as short), found exactly in long arithmetic (Steele and White's free-format digits),
     * for 2<sup>-6</sup> ≤ |v| < 2<sup>39</sup> — a mean such as 253.12333333333333; false, writing
     * nothing, elsewhere and in the rare cases it leaves to {@link Double#toString}.
     */
    static boolean appendShortest(CsvBytes out, double v) {
        long bits = Double.doubleToRawLongBits(v);
        int biased = (int) ((bits >>> 52) & 0x7FF);
        long fraction = bits & ((1L << 52) - 1);
        int k = 1075 - biased; // |v| = f / 2^k
        if (fraction == 0 || k < 14 || k > 58) {
            return false; // a power of two (its lower neighbour is nearer), or out of the range
        }
        long f = fraction | (1L << 52);
        // v and the halfway points to its neighbours, over 2^(k+1): every double between them is v
        int shift = k + 1;
        long mask = (1L << shift) - 1;
        long mid = f << 1;
        long lo = mid - 1;
        long hi = mid + 1;
        long whole = mid >>> shift;
        if ((lo >>> shift) != whole || (hi >>> shift) != whole) {
            return false; // a whole number lies between them
        }
        boolean inclusive = (f & 1) == 0; // ties round to even: the halfway points read back as v
        long rLo = lo & mask;
        long rMid = mid & mask;
        long rHi = hi & mask;
        int start = out.length();
        if (bits < 0) {
            out.append('-');
        }
        out.append(whole).append('.');
        if (rMid == 0 || (rLo == 0 && inclusive)) {
            out.append('0'); // the whole number itself
            return true;
        }
        while (true) {
            rLo *= 10;
            rMid *= 10;
            rHi *= 10;
            int dLo = (int) (rLo >>> shift);
            int dMid = (int) (rMid >>> shift);
            int dHi = (int) (rHi >>> shift);
            rLo &= mask;
            rMid &= mask;
            rHi &= mask;
            if (dLo == dHi) {
                out.append((char) ('0' + dLo));
                continue;
            }
            // the digits that end a decimal between the halfway points here
            int min = rLo == 0 && inclusive ? dLo : dLo + 1;
            int max = rHi == 0 && !inclusive ? dHi - 1 : dHi;
            if (min > max) {
                out.setLength(start);
                return false;
            }
            long twice = rMid << 1; // the rest of v beyond this digit, against one unit of it
            int d = twice > (1L << shift) || (twice == (1L << shift) && (dMid & 1) == 1) ? dMid + 1 : dMid;
            out.append((char) ('0' + Math.max(min, Math.min(max, d))));
            return true;
        }
    }

    /** Appends the mantissa's digits {@code from} (inclusive) to {@code to} (exclusive), skipping its point. */
    private static void appendDigits(CsvBytes out, String s, int start, int point, int end, int from, int to) {
        for (int i = from; i < to; i++) {
            int at = start + i;
            out.append(s.charAt(at < point ? at : at + 1));
        }
    }
}
