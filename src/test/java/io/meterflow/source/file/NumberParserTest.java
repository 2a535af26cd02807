package io.meterflow.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The number parser of the ingest path gives what the JDK gives, for every shape of cell. */
class NumberParserTest {

    /** What {@link NumberParser#parse} must give: the JDK's reading of the (shifted) decimal, NaN for no number. */
    private static double expected(String cell, int shift) {
        String t = cell.strip();
        if (t.isEmpty() || !t.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            return Double.NaN;
        }
        double v;
        try {
            v = shift == 0
                    ? Double.parseDouble(t)
                    : new BigDecimal(t).scaleByPowerOfTen(shift).doubleValue();
        } catch (NumberFormatException e) {
            return Double.NaN; // an exponent beyond what a decimal holds: no reading
        }
        if (v == 0 && t.startsWith("-")) {
            v = -0.0; // a decimal has no negative zero; the JDK reads "-0" as -0.0, shifted or not
        }
        return Double.isFinite(v) ? v : Double.NaN;
    }

    private static double parse(String cell, int shift) {
        byte[] b = ("xx" + cell + "yy").getBytes(StandardCharsets.US_ASCII); // a cell inside a line
        return NumberParser.parse(b, 2, b.length - 4, shift);
    }

    /** A random cell: digits around a point, signs, leading zeros, spaces, exponents, stray characters. */
    private static String cell(SplittableRandom r) {
        StringBuilder sb = new StringBuilder();
        sb.append(" ".repeat(r.nextInt(3) == 0 ? r.nextInt(3) : 0));
        int sign = r.nextInt(6);
        sb.append(sign == 0 ? "-" : sign == 1 ? "+" : "");
        int zeros = r.nextInt(4) == 0 ? r.nextInt(6) : 0;
        sb.append("0".repeat(zeros));
        int intDigits = r.nextInt(12);
        for (int i = 0; i < intDigits; i++) {
            sb.append((char) ('0' + r.nextInt(10)));
        }
        if (r.nextInt(3) > 0) {
            sb.append('.');
            int fraction = r.nextInt(r.nextInt(5) == 0 ? 22 : 8);
            for (int i = 0; i < fraction; i++) {
                sb.append((char) ('0' + r.nextInt(10)));
            }
        }
        switch (r.nextInt(40)) {
            case 0 -> sb.append("e").append(r.nextInt(-30, 30));
            case 1 -> sb.append("E+").append(r.nextInt(5));
            case 2 -> sb.insert(r.nextInt(sb.length() + 1), (char) (' ' + r.nextInt(95)));
            case 3 -> sb.append('.');
            default -> {}
        }
        sb.append(" ".repeat(r.nextInt(3) == 0 ? r.nextInt(3) : 0));
        return sb.toString();
    }

    @Test
    void random_cells_read_exactly_as_the_jdk_reads_them_with_and_without_a_unit_shift() {
        SplittableRandom r = new SplittableRandom(20261207);
        int numbers = 0;
        for (int i = 0; i < 300_000; i++) {
            String c = cell(r);
            int shift = i % 3 == 0 ? 0 : i % 3 == 1 ? -3 : 3;
            double want;
            try {
                want = expected(c, shift);
            } catch (RuntimeException e) {
                throw new AssertionError("cell '" + c + "'", e);
            }
            double got = parse(c, shift);
            assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got), "'" + c + "' shift " + shift);
            numbers += Double.isNaN(want) ? 0 : 1;
        }
        assertTrue(numbers > 200_000, "mostly numbers: " + numbers);
    }

    @Test
    void edges_of_the_fast_path() {
        String[] cells = {
            "9007199254740993", // 2^53 + 1: beyond the exact long-to-double range
            "9007199254740992",
            "123456789012345678", // 18 digits
            "1234567890123456789", // 19 digits
            "0.0000000000000000001234", // leading zeros past 18 digits
            "000000000000000000012.5",
            "1.0000000000000000000000001",
            "-0",
            "-0.0",
            ".5",
            "5.",
            ".",
            "-",
            "+",
            "1..2",
            "1.2.3",
            "12a",
            "1e",
            "1e400",
            "-1e-400",
            "4.9e-324",
            "0x10",
            "∞"
        };
        for (String c : cells) {
            for (int shift : new int[] {0, -3, 3, -6}) {
                assertEquals(
                        Double.doubleToLongBits(expected(c, shift)),
                        Double.doubleToLongBits(parse(c, shift)),
                        "'" + c + "' shift " + shift);
            }
        }
    }
}
