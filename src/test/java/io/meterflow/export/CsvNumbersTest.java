package io.meterflow.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvNumbersTest {

    private static String cell(double v) {
        StringBuilder sb = new StringBuilder();
        CsvNumbers.append(sb, v);
        return sb.toString();
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
    }

    @Test
    void every_kind_of_double_gives_the_same_text_as_before() {
        SplittableRandom r = new SplittableRandom(17);
        for (int i = 0; i < 200_000; i++) {
            double v =
                    switch (i % 4) {
                        case 0 -> Double.longBitsToDouble(r.nextLong()); // any double at all
                        case 1 -> Math.round(r.nextDouble(-1e9, 1e9) * 1000) / 1000.0; // meter readings
                        case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(-12, 25));
                        default -> -r.nextDouble() * Math.pow(10, r.nextInt(-12, 25));
                    };
            assertEquals(throughBigDecimal(v), cell(v), () -> Double.toString(v));
        }
    }
}
