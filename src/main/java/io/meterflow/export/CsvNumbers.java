package io.meterflow.export;

import java.math.BigDecimal;

/**
 * Number cells of CSV output as pandas writes floats ({@code 250.0}, {@code 0.1},
 * {@code 253.12333333333333}), but never in E notation; NaN and infinities are empty cells (a CSV
 * never holds {@code NaN} or {@code Infinity}).
 */
final class CsvNumbers {

    private CsvNumbers() {}

    static void append(StringBuilder sb, double v) {
        if (!Double.isFinite(v)) {
            return;
        }
        String s = Double.toString(v);
        if (s.indexOf('E') >= 0) {
            s = new BigDecimal(s).toPlainString();
            if (s.indexOf('.') < 0) {
                s = s + ".0";
            }
        }
        sb.append(s);
    }
}
