package io.meterflow.source.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.ingest.RowSink;
import io.meterflow.ingest.SignalDescription;
import io.meterflow.ingest.TimestampFormats;
import io.meterflow.series.SignalKind;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MeterCsvParserTest {

    /** Collects what the parser emits. */
    static final class Collected implements RowSink {
        String[] signals;
        SignalDescription[] descriptions;
        final List<Long> times = new ArrayList<>();
        final List<double[]> rows = new ArrayList<>();
        final ParseStats stats = new ParseStats();

        @Override
        public void columns(String[] signals) {
            this.signals = signals;
        }

        @Override
        public void describe(SignalDescription[] d) {
            this.descriptions = d;
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
        return parse(bytes, FileContext.of(ZoneId.of("America/New_York")));
    }

    private static Collected parse(byte[] bytes, FileContext ctx) throws Exception {
        Collected c = new Collected();
        MeterCsvParser.parse(new ByteArrayInputStream(bytes), ctx, c, c.stats);
        return c;
    }

    /** A vendor file of src/test/resources/formats. */
    private static Collected vendor(String file, FileContext ctx) throws Exception {
        try (InputStream in = MeterCsvParserTest.class.getResourceAsStream("/formats/" + file)) {
            return parse(in.readAllBytes(), ctx);
        }
    }

    private static FileContext in(String zone) {
        return FileContext.of(ZoneId.of(zone));
    }

    private static int index(Collected c, String signal) {
        return List.of(c.signals).indexOf(signal);
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
    void a_date_time_only_in_a_cell_past_the_headers_columns_names_no_timestamp_column() {
        // found by the fuzzer: the cell's index was taken as a column the header does not have
        String reason = reject("kw,kvar\n1.5,0.5,2025-01-01 00:00:00\n1.6,0.4,2025-01-01 00:00:01\n");
        assertTrue(reason.contains("no column holds date-times"), reason);
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
        // the unit after the comma is the column's unit, not part of its name
        assertArrayEquals(new String[] {"power"}, c.signals);
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

    @Test
    void an_egauge_export_runs_newest_first_through_the_autumn_overlap_and_keeps_both_one_oclocks() throws Exception {
        Collected c = vendor("egauge/egauge-home-hourly-kwh.csv", in("America/Denver"));
        assertArrayEquals(new String[] {"use", "gen", "Grid"}, c.signals);
        assertEquals(9, c.rows.size());
        // 01:00 comes twice: first (newest first) the MST hour, then the MDT one
        assertEquals(ms("2025-11-02T08:00:00Z"), c.times.get(4));
        assertEquals(ms("2025-11-02T07:00:00Z"), c.times.get(5));
        assertEquals(15236.457, c.rows.get(5)[0]);
        assertEquals(ms("2025-11-02T12:00:00Z"), c.times.get(0));
        assertEquals(ms("2025-11-02T04:00:00Z"), c.times.get(8));
        for (int s = 0; s < 3; s++) {
            assertEquals("kWh", c.descriptions[s].unit());
            assertEquals(SignalKind.COUNTER, c.descriptions[s].kindEvidence(), c.signals[s] + " never falls");
        }
    }

    @Test
    void a_vendor_preamble_is_skipped_and_a_utc_header_is_honoured() throws Exception {
        Collected c = vendor("emonitor/emonitor-store114-hourly.csv", in("America/New_York"));
        assertArrayEquals(new String[] {"Main", "HVAC RTU-1", "Walk-in Cooler"}, c.signals);
        assertEquals(6, c.rows.size());
        assertEquals(ms("2025-01-15T05:00:00Z"), c.times.get(0), "Date/time UTC: no 5-hour shift");
        assertEquals(SignalKind.INTERVAL, c.descriptions[0].kindEvidence(), "kWh that rise and fall: per hour");
        assertEquals("kW", c.descriptions[2].unit());
        assertEquals(null, c.descriptions[2].kindEvidence());
    }

    @Test
    void a_headerless_ted_file_takes_its_column_names_from_the_meter_config() throws Exception {
        FileContext ted = new FileContext(
                ZoneId.of("America/Los_Angeles"),
                TimestampFormats.DEFAULT,
                List.of("mtu", "timestamp", "power_kw", "cost", "voltage_v"),
                "minutehistory-mtu1.csv");
        Collected c = vendor("ted/minutehistory-mtu1.csv", ted);
        assertArrayEquals(new String[] {"mtu", "power_kw", "cost", "voltage_v"}, c.signals);
        assertEquals(6, c.rows.size(), "the first line is data, not a header");
        assertEquals(ms("2025-02-11T02:05:00Z"), c.times.get(0));
        assertEquals(2.418, c.rows.get(0)[1]);
        assertEquals(null, c.descriptions[0], "the MTU column holds no numbers");
        String reason = assertThrows(
                        FileRejectedException.class,
                        () -> vendor("ted/minutehistory-mtu1.csv", in("America/Los_Angeles")))
                .getMessage();
        assertTrue(reason.startsWith("no header row"), reason);
        assertTrue(reason.contains("meters.yaml"), reason);
    }

    @Test
    void an_acuvim_data_log_skips_its_title_and_row_numbers_and_reads_units_from_the_header() throws Exception {
        Collected c = vendor("accuenergy/acuvim-datalog1.csv", in("America/Chicago"));
        assertArrayEquals(
                new String[] {"Ep_Imp", "Ep_Exp", "Eq_Imp", "P", "Q", "U_avg", "I_avg", "PF"},
                c.signals,
                "No. is a row number, not a signal");
        assertEquals(ms("2025-06-02T05:15:00Z"), c.times.get(0));
        assertEquals(128734.25, c.rows.get(0)[index(c, "Ep_Imp")]);
        assertEquals(212.4, c.rows.get(0)[index(c, "P")], "W read as kW, exactly");
        assertEquals(64.8, c.rows.get(0)[index(c, "Q")], "var read as kvar");
        assertEquals("kW", c.descriptions[index(c, "P")].unit());
        assertEquals("kvarh", c.descriptions[index(c, "Eq_Imp")].unit());
        assertEquals(SignalKind.COUNTER, c.descriptions[index(c, "Ep_Imp")].kindEvidence());
        assertEquals(SignalKind.COUNTER, c.descriptions[index(c, "Ep_Exp")].kindEvidence(), "a register at rest");
        assertEquals("V", c.descriptions[index(c, "U_avg")].unit());
        assertEquals(null, c.descriptions[index(c, "PF")].unit());
    }

    @Test
    void an_emporia_export_is_read_in_the_zone_its_header_names() throws Exception {
        Collected c = vendor("emporia/Barn-1H.csv", in("America/New_York"));
        assertArrayEquals(new String[] {"Barn-Mains_A", "Barn-Mains_B", "Barn-Dryer", "Barn-Spare"}, c.signals);
        assertEquals(ms("2025-07-14T15:00:00Z"), c.times.get(0), "10:00 in Chicago, not in New York");
        assertEquals("kWh", c.descriptions[0].unit());
        assertEquals(SignalKind.INTERVAL, c.descriptions[0].kindEvidence());
        assertEquals(null, c.descriptions[3], "No CT everywhere: no signal");
    }

    @Test
    void niagara_history_exports_are_named_after_their_history() throws Exception {
        Collected plain = vendor(
                "niagara/Vav1$2d01$20Space$20Temp.csv",
                new FileContext(
                        ZoneId.of("America/Denver"),
                        TimestampFormats.DEFAULT,
                        List.of(),
                        "Vav1$2d01$20Space$20Temp.csv"));
        assertArrayEquals(new String[] {"Vav1$2d01$20Space$20Temp"}, plain.signals);
        assertEquals("Vav1-01 Space Temp", plain.descriptions[0].displayName());
        assertEquals("°F", plain.descriptions[0].unit());
        assertEquals(ms("2025-11-05T21:19:58Z"), plain.times.get(0));
        Collected workbench = vendor(
                "niagara/vav_1_11_space_temp.csv",
                new FileContext(ZoneId.of("America/Denver"), TimestampFormats.DEFAULT, List.of(), "x.csv"));
        assertEquals("Vav1$2d11$20SpaceTemperature", workbench.signals[2]);
        assertEquals("Vav1-11 SpaceTemperature", workbench.descriptions[2].displayName());
        assertEquals(4, workbench.rows.size());
        assertEquals(72.1, workbench.rows.get(1)[2], "the unit in the cell is not in the way");
        assertEquals(null, workbench.descriptions[0], "trend flags are text");
    }

    @Test
    void german_month_names_24_hours_and_german_zone_abbreviations_are_read_when_configured() throws Exception {
        FileContext german = new FileContext(
                ZoneId.of("Europe/Berlin"),
                TimestampFormats.of(List.of(), List.of(Locale.ENGLISH, Locale.GERMAN)),
                List.of(),
                "Kessel$20Vorlauf.csv");
        Collected c = vendor("niagara/Kessel$20Vorlauf.csv", german);
        assertEquals(
                List.of(
                        ms("2025-10-25T23:30:00Z"),
                        ms("2025-10-26T00:00:00Z"),
                        ms("2025-10-26T00:30:00Z"),
                        ms("2025-10-26T01:00:00Z"),
                        ms("2025-10-26T01:30:00Z"),
                        ms("2025-10-26T02:00:00Z")),
                c.times,
                "MESZ and MEZ choose the offset of 02:00 and 02:30");
        assertThrows(
                FileRejectedException.class,
                () -> vendor("niagara/Kessel$20Vorlauf.csv", in("Europe/Berlin")),
                "Okt is no English month");
    }

    @Test
    void energy_in_wh_and_mwh_is_stored_in_kwh_exactly() throws Exception {
        Collected c = parse("timestamp,Active energy Wh,Export [MWh],Demand (W)\n"
                + "2025-01-01 00:00:00,1234.5,1.234,15000\n2025-01-01 00:15:00,1240.1,1.235,14000\n");
        assertArrayEquals(new String[] {"Active energy", "Export", "Demand"}, c.signals);
        assertEquals(1.2345, c.rows.get(0)[0]);
        assertEquals(1234.0, c.rows.get(0)[1]);
        assertEquals(15.0, c.rows.get(0)[2]);
        assertEquals("kWh", c.descriptions[0].unit());
        assertEquals(SignalKind.COUNTER, c.descriptions[0].kindEvidence());
        assertEquals("kW", c.descriptions[2].unit());
    }
}
