package io.meterflow.source.niagara.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.UnusablePayload;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class NiagaraHttpFormatsTest {

    private static final ZoneId DENVER = ZoneId.of("America/Denver");

    private static long ms(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    @Test
    void the_plain_export_with_bom_unit_header_and_negative_guard_is_read() throws Exception {
        NiagaraCsvParser.Parsed p = NiagaraCsvParser.parse(
                "\uFEFFTimestamp,Value (°F)\n" + "05-Nov-25 2:19:58 PM MST,74.50\n05-Nov-25 2:20:30 PM MST, -1.50\n\n",
                DENVER);
        assertEquals("°F", p.unit());
        assertEquals(2, p.rows().size());
        assertEquals(
                new HistoryRow(ms("2025-11-05T21:19:58Z"), 74.5, HistoryRow.NO_STATUS),
                p.rows().get(0),
                "the plain export has no status column: no status is made up");
        assertEquals(-1.5, p.rows().get(1).value());
    }

    @Test
    void the_workbench_export_with_title_flags_status_and_units_in_cells_is_read() throws Exception {
        NiagaraCsvParser.Parsed p = NiagaraCsvParser.parse(
                "\uFEFFhistory:AmsShop/Vav1-11 SpaceTemperature,,,\n"
                        + "22-Nov-25 12:00 AM MST  to  22-Nov-25 11:59 PM MST,,,\n,,,\n"
                        + "Timestamp,Trend Flags,Status,Value (°F)\n"
                        + "22-Nov-25 12:00:00 AM MST,{ },{ok},72.00 °F\n"
                        + "22-Nov-25 9:55:00 PM MST,{start},{stale},72.40 °F\n",
                DENVER);
        assertEquals(2, p.rows().size());
        assertEquals(
                new HistoryRow(ms("2025-11-22T07:00:00Z"), 72.0, 0), p.rows().get(0));
        assertEquals(
                new HistoryRow(ms("2025-11-23T04:55:00Z"), 72.4, 0x10), p.rows().get(1));
    }

    @Test
    void zone_abbreviations_pick_the_offset_in_the_autumn_overlap_and_booleans_are_numbers() throws Exception {
        NiagaraCsvParser.Parsed p = NiagaraCsvParser.parse(
                "Timestamp,Value\n" + "02-Nov-25 1:30:00 AM MDT,On\n02-Nov-25 1:30:00 AM MST,Off\nnot a time,1\n",
                DENVER);
        assertEquals(new HistoryRow(ms("2025-11-02T07:30:00Z"), 1), p.rows().get(0));
        assertEquals(new HistoryRow(ms("2025-11-02T08:30:00Z"), 0), p.rows().get(1));
        assertEquals(1, p.skipped());
        assertThrows(UnusablePayload.class, () -> NiagaraCsvParser.parse("<html>login</html>", DENVER));
    }

    @Test
    void obix_history_query_out_is_read_by_name_with_the_unit_of_the_record_def() throws Exception {
        String xml =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><obj is=\"obix:HistoryQueryOut\" xmlns=\"http://obix.org/ns/schema/1.0\">"
                        + "<list name=\"data\" of=\"#RecordDef obix:HistoryRecord\">"
                        + "<obj><abstime name=\"timestamp\" val=\"2023-08-15T20:31:09.560-04:00\" tz=\"America/New_York\"/><real name=\"value\" val=\"2.6066665649414062\"/></obj>"
                        + "<obj><abstime name=\"timestamp\" val=\"2023-08-15T20:35:00.012-04:00\" tz=\"America/New_York\"/><bool name=\"value\" val=\"true\"/></obj>"
                        + "</list><int name=\"count\" val=\"2\"/>"
                        + "<obj href=\"#RecordDef\" is=\"obix:HistoryRecord\"><abstime name=\"timestamp\"/><real name=\"value\" unit=\"obix:units/kilowatt\"/></obj></obj>";
        ObixHistoryParser.Parsed p = ObixHistoryParser.parse(xml.getBytes(StandardCharsets.UTF_8));
        assertEquals("kilowatt", p.unit());
        assertEquals(
                new HistoryRow(ms("2023-08-16T00:31:09.560Z"), 2.6066665649414062, HistoryRow.NO_STATUS),
                p.rows().get(0),
                "oBIX records carry no status");
        assertEquals(1.0, p.rows().get(1).value());
        String err = assertThrows(
                        UnusablePayload.class,
                        () -> ObixHistoryParser.parse(
                                "<err is=\"obix:BadUriErr\" display=\"Invalid name in path\" xmlns=\"http://obix.org/ns/schema/1.0\"/>"
                                        .getBytes(StandardCharsets.UTF_8)))
                .getMessage();
        assertTrue(err.contains("BadUriErr"), err);
        assertThrows(UnusablePayload.class, () -> ObixHistoryParser.parse("not xml".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void values_beyond_1e15_and_years_outside_1970_to_9999_are_not_used() throws Exception {
        NiagaraCsvParser.Parsed csv = NiagaraCsvParser.parse(
                "Timestamp,Value (kW)\n05-Nov-25 2:19:58 PM MST,1e309\n05-Nov-25 2:20:00 PM MST,7\n", DENVER);
        assertEquals(1, csv.rows().size());
        assertEquals(1, csv.skipped());
        String obix = "<obj is=\"obix:HistoryQueryOut\" xmlns=\"http://obix.org/ns/schema/1.0\"><list name=\"data\">"
                + "<obj><abstime name=\"timestamp\" val=\"%s\"/><real name=\"value\" val=\"%s\"/></obj></list></obj>";
        assertEquals(
                0,
                ObixHistoryParser.parse(String.format(obix, "2023-08-15T20:31:09-04:00", "1e300")
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .rows()
                        .size());
        for (String time : new String[] {"1012-08-15T20:31:09-04:00", "+999999999-12-31T23:59:59Z"}) {
            assertThrows(
                    UnusablePayload.class,
                    () -> ObixHistoryParser.parse(
                            String.format(obix, time, "1").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
    }
}
