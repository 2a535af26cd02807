package io.meterflow.source.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.ingest.RowSink;
import io.meterflow.ingest.TimestampParser;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeterCsvParserTest {

    /** Collects what the parser emits. */
    static final class Collected implements RowSink {
        String[] signals;
        final List<Long> times = new ArrayList<>();
        final List<double[]> rows = new ArrayList<>();
        final ParseStats stats = new ParseStats();

        @Override
        public void columns(String[] signals) {
            this.signals = signals;
        }

        @Override
        public void row(long epochMillis, double[] values) {
            times.add(epochMillis);
            rows.add(values.clone());
        }
    }

    private static Collected parse(String csv) throws Exception {
        return parse(csv.getBytes(StandardCharsets.UTF_8));
    }

    private static Collected parse(byte[] bytes) throws Exception {
        Collected c = new Collected();
        MeterCsvParser.parse(
                new ByteArrayInputStream(bytes), new TimestampParser(ZoneId.of("America/New_York")), c, c.stats);
        return c;
    }

    private static String reject(String csv) {
        return assertThrows(FileRejectedException.class, () -> parse(csv)).getMessage();
    }

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void unity_file_gives_every_column_as_a_signal() throws Exception {
        Collected c = parse("timestamp,com_ap,pf,pos_ae\n"
                + "2025-01-01T00:00:00-05:00,250.5,0.95,1000.125\n"
                + "2025-01-01T00:00:01-05:00,251.25,0.951,1000.195\n");
        assertArrayEquals(new String[] {"com_ap", "pf", "pos_ae"}, c.signals);
        assertEquals(List.of(ms("2025-01-01T05:00:00Z"), ms("2025-01-01T05:00:01Z")), c.times);
        assertArrayEquals(new double[] {251.25, 0.951, 1000.195}, c.rows.get(1));
        assertEquals(2, c.stats.rows);
    }

    @Test
    void timestamp_column_is_found_by_name_in_any_case_and_position() throws Exception {
        Collected c = parse("kw,Time,kvar\n1.5,2025-01-01 00:00:00,0.5\n");
        assertArrayEquals(new String[] {"kw", "kvar"}, c.signals);
        assertEquals(ms("2025-01-01T05:00:00Z"), c.times.get(0));
        assertArrayEquals(new double[] {1.5, 0.5}, c.rows.get(0));
        assertEquals(1, parse("DateTime,kw\n2025-01-01 00:00,1\n").rows.size());
        assertEquals(1, parse("TS,kw\n2025-01-01 00:00,1\n").rows.size());
        assertEquals(1, parse("DATE,kw\n2025-01-01 00:00,1\n").rows.size());
    }

    @Test
    void timestamp_column_is_found_by_value_when_no_name_matches() throws Exception {
        Collected c = parse("meter,reading_at,kw\n7,2025-01-01 00:00:00,1.5\n7,2025-01-01 00:00:01,1.6\n");
        assertArrayEquals(new String[] {"meter", "kw"}, c.signals);
        assertEquals(ms("2025-01-01T05:00:01Z"), c.times.get(1));
    }

    @Test
    void byte_order_mark_quotes_and_crlf_are_handled() throws Exception {
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] body =
                "\"timestamp\",\"power, kW\"\r\n\"2025-01-01 00:00:00\",\"12.5\"\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[bom.length + body.length];
        System.arraycopy(bom, 0, all, 0, bom.length);
        System.arraycopy(body, 0, all, bom.length, body.length);
        Collected c = parse(all);
        assertArrayEquals(new String[] {"power, kW"}, c.signals);
        assertArrayEquals(new double[] {12.5}, c.rows.get(0));
    }

    @Test
    void row_level_problems_are_skipped_and_counted() throws Exception {
        Collected c = parse("timestamp,kw,kvar,status\n"
                + "2025-01-01 00:00:00,1.5,N/A,ok\n"
                + "\n"
                + "not a time,2.0,3.0,ok\n"
                + "2025-01-01 00:00:02,,4.0,ok\n"
                + "   \n"
                + "2025-01-01 00:00:03,-2.5e1,bad,ok\n");
        assertEquals(3, c.stats.rows);
        assertEquals(2, c.stats.blankLines);
        assertEquals(1, c.stats.badTimestampRows);
        // N/A and "bad" in kvar; the text-only status column is not a signal and not counted
        assertEquals(2, c.stats.skippedCells);
        assertEquals(-25.0, c.rows.get(2)[0]);
        assertTrue(Double.isNaN(c.rows.get(1)[0]));
        assertTrue(Double.isNaN(c.rows.get(0)[1]));
    }

    @Test
    void numbers_parse_exactly_like_the_jdk() throws Exception {
        String[] cells = {
            "0.1",
            "123456.789",
            "-0.001",
            "1e3",
            "0.12345678901234567890",
            "999999999999999",
            "+7",
            "0.000000000001",
            "  42.5 "
        };
        for (String cell : cells) {
            Collected c = parse("timestamp,v\n2025-01-01 00:00:00," + cell + "\n");
            assertEquals(Double.parseDouble(cell.trim()), c.rows.get(0)[0], cell);
        }
    }

    @Test
    void empty_files_are_rejected() {
        assertEquals("file is empty", reject(""));
        assertEquals("file is empty (only blank lines)", reject("\n\n  \n"));
    }

    @Test
    void binary_files_are_rejected_as_not_csv() {
        assertTrue(reject("PK\u0003\u0004\u0000\u0000binary").startsWith("not a CSV file"));
        assertTrue(reject("just one column\nand another line\n").startsWith("not a CSV file"));
    }

    @Test
    void files_without_a_timestamp_column_are_rejected() {
        assertTrue(reject("a,b\n1,2\n3,4\n").startsWith("no timestamp column"));
    }

    @Test
    void files_without_a_header_are_rejected() {
        assertTrue(reject("2025-01-01 00:00:00,1.5\n2025-01-01 00:00:01,1.6\n").startsWith("no header row"));
    }

    @Test
    void header_only_files_are_rejected() {
        assertEquals("no data rows after the header", reject("timestamp,kw\n"));
    }

    @Test
    void files_without_any_valid_timestamp_or_number_are_rejected() {
        assertTrue(reject("timestamp,kw\nyesterday,1\ntoday,2\n").startsWith("no row has a valid timestamp"));
        assertTrue(reject("timestamp,state\n2025-01-01 00:00:00,on\n").startsWith("no numeric values"));
    }

    @Test
    void a_last_line_cut_while_written_is_skipped_and_counted_but_a_complete_one_is_kept() throws Exception {
        String head = "timestamp,com_ap,pos_ae\n2025-01-01T00:00:00Z,173.80,603812.996\n";
        // cut inside the counter: 6038 where its neighbours are 603,8xx.xxx
        Collected cut = parse(head + "2025-01-01T00:00:01Z,173.80,6038");
        assertEquals(1, cut.rows.size());
        assertEquals(1, cut.stats.truncatedRows);
        // cut before the last cell
        Collected shortRow = parse(head + "2025-01-01T00:00:01Z,173.8");
        assertEquals(1, shortRow.rows.size());
        assertEquals(1, shortRow.stats.truncatedRows);
        // written without a final line end, but whole: kept
        Collected whole = parse(head + "2025-01-01T00:00:01Z,173.81,603813.044");
        assertEquals(2, whole.rows.size());
        assertEquals(603813.044, whole.rows.get(1)[1]);
        assertEquals(0, whole.stats.truncatedRows);
    }

    @Test
    void values_that_cannot_be_stored_are_skipped_cells() throws Exception {
        Collected c = parse("timestamp,kw,kvar\n2025-01-01T00:00:00Z,1e308,2\n2025-01-01T00:00:01Z,-2e15,3\n"
                + "2025-01-01T00:00:02Z,1e15,4\n");
        assertEquals(3, c.rows.size());
        assertTrue(Double.isNaN(c.rows.get(0)[0]));
        assertTrue(Double.isNaN(c.rows.get(1)[0]));
        assertEquals(1e15, c.rows.get(2)[0]);
        assertEquals(2, c.stats.skippedCells);
    }

    @Test
    void files_that_would_exhaust_the_store_or_the_memory_are_rejected_with_a_reason() {
        String longName = "x".repeat(300);
        assertEquals(
                "column 2 has a name longer than 255 characters: " + "x".repeat(40) + "...",
                reject("timestamp," + longName + "\n2025-01-01T00:00:00Z,1\n"));
        StringBuilder wide = new StringBuilder("timestamp");
        for (int i = 0; i < 100_000; i++) {
            wide.append(",c").append(i);
        }
        assertEquals(
                "100001 columns; a file may hold at most 1000 signals", reject(wide + "\n2025-01-01T00:00:00Z,1\n"));
        String longLine = "timestamp,kw\n2025-01-01T00:00:00Z," + "9".repeat(2 << 20) + "\n";
        assertEquals("line 2 is longer than 1 MiB", reject(longLine));
    }

    @Test
    void utf16_text_is_rejected_with_what_to_do() {
        byte[] utf16 = "timestamp,kw\n2025-01-01T00:00:00Z,1\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] withBom = new byte[utf16.length + 2];
        withBom[0] = (byte) 0xFF;
        withBom[1] = (byte) 0xFE;
        System.arraycopy(utf16, 0, withBom, 2, utf16.length);
        assertEquals(
                "UTF-16 text: save the file as UTF-8 (or ASCII)",
                assertThrows(FileRejectedException.class, () -> parse(withBom)).getMessage());
    }
}
