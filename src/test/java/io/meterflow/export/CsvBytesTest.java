package io.meterflow.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvBytesTest {

    @Test
    void whole_numbers_are_written_as_long_to_string_writes_them() {
        long[] edges = {
            0, 1, -1, 9, 10, -10, 99, 100, 999_999, 1_000_000, Long.MAX_VALUE, Long.MIN_VALUE, -Long.MAX_VALUE
        };
        for (long v : edges) {
            assertEquals(Long.toString(v), new CsvBytes(1).append(v).toString());
        }
        SplittableRandom r = new SplittableRandom(7);
        CsvBytes out = new CsvBytes(4);
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            long v = r.nextLong() >> r.nextInt(64);
            out.append(v).append(',');
            want.append(v).append(',');
        }
        assertEquals(want.toString(), out.toString());
    }

    /** m / 10^scale as BigDecimal writes it, with the fraction's trailing zeros dropped but one digit kept. */
    private static String scaled(long m, int scale) {
        String s = BigDecimal.valueOf(m, scale).toPlainString();
        int end = s.length();
        while (s.charAt(end - 1) == '0' && s.charAt(end - 2) != '.') {
            end--;
        }
        return s.substring(0, end);
    }

    @Test
    void scaled_numbers_keep_one_digit_on_each_side_of_the_point_and_no_trailing_zeros() {
        assertEquals("25.3", new CsvBytes(1).appendScaled(25300, 3).toString());
        assertEquals("0.005", new CsvBytes(1).appendScaled(5, 3).toString());
        assertEquals("0.0", new CsvBytes(1).appendScaled(0, 2).toString());
        assertEquals("7.0", new CsvBytes(1).appendScaled(70, 1).toString());
        assertEquals("0.000000000000000001", new CsvBytes(1).appendScaled(1, 18).toString());
        assertEquals(
                scaled(Long.MAX_VALUE, 18),
                new CsvBytes(1).appendScaled(Long.MAX_VALUE, 18).toString());
        SplittableRandom r = new SplittableRandom(11);
        CsvBytes out = new CsvBytes(4);
        StringBuilder want = new StringBuilder();
        for (int i = 0; i < 200_000; i++) {
            long m = r.nextLong(Long.MAX_VALUE) >> r.nextInt(63);
            m -= m % (long) Math.pow(10, r.nextInt(4)); // trailing zeros, often
            int scale = 1 + r.nextInt(18);
            out.appendScaled(m, scale).append(',');
            want.append(scaled(m, scale)).append(',');
        }
        assertEquals(want.toString(), out.toString());
    }

    @Test
    void text_goes_out_as_utf8_and_the_buffer_starts_again_empty() throws Exception {
        CsvBytes text = new CsvBytes(2)
                .append("température")
                .append(',')
                .append("débit m³")
                .append('\n');
        text.appendAscii("x1.5E3y", 1, 6);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        text.writeTo(out);
        assertArrayEquals("température,débit m³\n1.5E3".getBytes(StandardCharsets.UTF_8), out.toByteArray());
        assertEquals(0, text.length());
        text.append(42L).append(',');
        int mark = text.length();
        text.append("dropped");
        text.setLength(mark);
        text.writeTo(out);
        assertEquals("température,débit m³\n1.5E342,", out.toString(StandardCharsets.UTF_8));
    }
}
