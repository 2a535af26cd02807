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
 */
final class CsvNumbers {

    private CsvNumbers() {}

    static void append(StringBuilder sb, double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        String s = Double.toString(v);
        int e = s.indexOf('E');
        if (e < 0) {
            sb.append(s);
            return;
        }
        int exponent = Integer.parseInt(s, e + 1, s.length(), 10);
        int start = 0;
        if (s.charAt(0) == '-') {
            sb.append('-');
            start = 1;
        }
        // the mantissa d.ddd: its digits without the point; the value is digits × 10^-(scale)
        int point = s.indexOf('.', start);
        int digits = e - start - 1;
        int scale = (e - point - 1) - exponent;
        if (scale <= 0) {
            sb.append(s, start, point).append(s, point + 1, e);
            for (int i = 0; i < -scale; i++) {
                sb.append('0');
            }
            sb.append(".0");
        } else if (digits > scale) {
            int whole = digits - scale; // digits before the point
            appendDigits(sb, s, start, point, e, 0, whole);
            sb.append('.');
            appendDigits(sb, s, start, point, e, whole, digits);
        } else {
            sb.append("0.");
            for (int i = 0; i < scale - digits; i++) {
                sb.append('0');
            }
            appendDigits(sb, s, start, point, e, 0, digits);
        }
    }

    /** Appends the mantissa's digits {@code from} (inclusive) to {@code to} (exclusive), skipping its point. */
    private static void appendDigits(StringBuilder sb, String s, int start, int point, int end, int from, int to) {
        for (int i = from; i < to; i++) {
            int at = start + i;
            sb.append(s.charAt(at < point ? at : at + 1));
        }
    }
}
