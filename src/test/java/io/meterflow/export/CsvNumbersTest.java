package io.meterflow.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvNumbersTest {

    private static String cell(double v) {
        CsvBytes out = new CsvBytes(8);
        CsvNumbers.append(out, v);
        return out.toString();
    }

    /** The earlier writing, through BigDecimal: the fast one must give the same text for every double. */
    private static String throughBigDecimal(double v) {
        if (!Double.isFinite(v)) {
            return "";
        }
        String s = Double.toString(v);
        if (s.indexOf('E') >= 0) {
            s = new BigDecimal(s).toPlainString();
            if (s.indexOf('.') < 0) {
                s = s + ".0";
            }
        }
        return s;
    }

    @Test
    void numbers_are_written_as_pandas_writes_them_without_e_notation() {
        assertEquals("250.0", cell(250));
        assertEquals("0.1", cell(0.1));
        assertEquals("46126164.785", cell(46_126_164.785));
        assertEquals("10000000.0", cell(1e7));
        assertEquals("-12345678.9", cell(-12_345_678.9));
        assertEquals("0.00050", cell(5e-4));
        assertEquals("-0.0012345", cell(-1.2345e-3));
        assertEquals("125000000000000000000000.0", cell(1.25e23));
        assertEquals("", cell(Double.NaN));
        assertEquals("", cell(Double.POSITIVE_INFINITY));
        assertEquals("-0.0", cell(-0.0));
        // short decimals, written from their scaled integer
        assertEquals("277.53", cell(277.53));
        assertEquals("0.001", cell(0.001));
        assertEquals("-0.5", cell(-0.5));
        assertEquals("0.0205", cell(0.0205));
        assertEquals("1.000001", cell(1.000001));
        assertEquals("-1203.07", cell(-1203.07));
        assertEquals("999999999999.5", cell(999_999_999_999.5));
        // longer ones through Double.toString
        assertEquals("12.3456789", cell(12.3456789));
        assertEquals("253.12333333333333", cell(15_187.4 / 60));
    }

    @Test
    void every_kind_of_double_gives_the_same_text_as_before() {
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < 400_000; i++) {
            double v =
                    switch (i % 6) {
                        case 0 -> Double.longBitsToDouble(r.nextLong()); // any double at all
                        case 1 -> Math.round(r.nextDouble(-1e9, 1e9) * 1000) / 1000.0; // meter readings
                        case 4 -> Math.round(r.nextDouble(-1e4, 1e4) * 100) / 100.0;
                        case 5 ->
                            Math.round(r.nextDouble(0, 2e6) * Math.pow(10, r.nextInt(7))) / Math.pow(10, r.nextInt(7));
                        case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(-12, 25));
                        default -> -r.nextDouble() * Math.pow(10, r.nextInt(-12, 25));
                    };
            assertEquals(throughBigDecimal(v), cell(v), () -> Double.toString(v));
        }
    }

    @Test
    void means_get_the_shortest_digits_found_exactly_the_same_as_double_to_string() {
        SplittableRandom r = new SplittableRandom(29);
        int exact = 0;
        int n = 1_000_000;
        for (int i = 0; i < n; i++) {
            double v = i % 2 == 0
                    // a minute's mean of 1-second readings with 2 or 3 decimals
                    ? r.nextLong(-30_000_000, 30_000_000) / Math.pow(10, 2 + r.nextInt(2)) / (1 + r.nextInt(60))
                    // any double of the range, every exponent alike
                    : Math.scalb(1 + r.nextDouble(), r.nextInt(-6, 39)) * (r.nextBoolean() ? 1 : -1);
            CsvBytes out = new CsvBytes(8);
            if (CsvNumbers.appendShortest(out, v)) {
                exact++;
                assertEquals(throughBigDecimal(v), out.toString(), () -> Double.toString(v));
            }
        }
        // the range's few exceptions (powers of two, whole numbers between the halfway points) are rare
        org.junit.jupiter.api.Assertions.assertTrue(exact > n * 0.95, exact + " of " + n);
    }
}
