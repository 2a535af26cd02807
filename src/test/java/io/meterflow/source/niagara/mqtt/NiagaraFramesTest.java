package io.meterflow.source.niagara.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.series.SlotPath;
import io.meterflow.source.niagara.History;
import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.UnusablePayload;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class NiagaraFramesTest {

    private static List<History> parse(String json) throws Exception {
        return NiagaraFrames.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String reject(String json) {
        return assertThrows(UnusablePayload.class, () -> parse(json)).getMessage();
    }

    @Test
    void the_flat_frame_with_offsets_milliseconds_and_status_is_read() throws Exception {
        List<History> h = parse("{\"stationName\":\"AmsShop\",\"messageType\":\"history\","
                + "\"historyId\":\"/AmsShop/MaxSpaceTemp\",\"historyData\":["
                + "{\"timestamp\":\"2025-11-24 00:00:01.349-0700\",\"status\":\"{ok}\",\"value\":77.58},"
                + "{\"timestamp\":\"2025-11-24 00:15:00.002-0700\",\"status\":\"{down,stale}\",\"value\":77.61}]}");
        assertEquals(1, h.size());
        assertEquals("AmsShop", h.get(0).station());
        assertEquals("/AmsShop/MaxSpaceTemp", h.get(0).historyId());
        assertEquals(
                new HistoryRow(Instant.parse("2025-11-24T07:00:01.349Z").toEpochMilli(), 77.58, 0),
                h.get(0).rows().get(0));
        assertEquals(0x14, h.get(0).rows().get(1).status());
    }

    @Test
    void arrays_of_frames_id_fallbacks_and_array_rows_are_read() throws Exception {
        List<History> h = parse("[{\"messageType\":\"history\",\"stationName\":\"S\",\"id\":\"/S/a\","
                + "\"historyData\":[[\"2025-11-24T00:00:00Z\",1,\"{ok}\"]]},"
                + "{\"messageType\":\"history\",\"stationName\":\"S\",\"historyName\":\"b\","
                + "\"historyData\":[[\"2025-11-24T00:00:00+01:00\",true]]}]");
        assertEquals(2, h.size());
        assertEquals("/S/a", h.get(0).historyId());
        assertEquals("b", h.get(1).historyId());
        assertEquals(1.0, h.get(1).rows().get(0).value());
        assertEquals(
                Instant.parse("2025-11-23T23:00:00Z").toEpochMilli(),
                h.get(1).rows().get(0).millis());
    }

    @Test
    void unusable_frames_are_rejected_with_the_reason() {
        assertTrue(reject("nope").startsWith("not JSON"));
        assertTrue(reject("42").startsWith("not a JSON object"));
        assertTrue(reject("{\"messageType\":\"point\"}").contains("messageType is 'point'"));
        assertTrue(reject("{\"messageType\":\"history\",\"historyId\":\"x\",\"historyData\":[]}")
                .contains("stationName is missing"));
        assertTrue(reject("{\"messageType\":\"history\",\"stationName\":\"S\",\"id\":\"x\"}")
                .contains("historyData is missing"));
        assertTrue(reject("{\"messageType\":\"history\",\"stationName\":\"S\",\"id\":\"x\",\"historyData\":"
                        + "[{\"timestamp\":\"2025-11-24 00:00:01\",\"value\":1}]}")
                .contains("without an offset"));
        assertTrue(reject("{\"messageType\":\"history\",\"stationName\":\"S\",\"id\":\"x\",\"historyData\":"
                        + "[{\"timestamp\":\"2025-13-24 00:00:01-0700\",\"value\":1}]}")
                .contains("bad timestamp"));
        assertTrue(reject("{\"messageType\":\"history\",\"stationName\":\"S\",\"id\":\"x\",\"historyData\":"
                        + "[{\"timestamp\":\"2025-11-24 00:00:01-0700\",\"value\":null}]}")
                .contains("value is not numeric"));
        // the reason names the refused row: its frame in a list and its place in historyData
        assertEquals(
                "frame 1: historyData[1]: value is not finite or beyond ±1e15: 1.0E16",
                reject("[{\"messageType\":\"history\",\"stationName\":\"S\",\"id\":\"x\",\"historyData\":[]},"
                        + "{\"messageType\":\"history\",\"stationName\":\"S\",\"id\":\"x\",\"historyData\":"
                        + "[{\"timestamp\":\"2025-11-24 00:00:01-0700\",\"value\":1},"
                        + "{\"timestamp\":\"2025-11-24 00:00:02-0700\",\"value\":1e16}]}]"));
    }

    @Test
    void slot_path_escapes_decode_for_display_and_encode_back() {
        assertEquals("Vav1-01 Space Temp", SlotPath.unescape("Vav1$2d01$20Space$20Temp"));
        assertEquals("Cost €", SlotPath.unescape("Cost$20$u20ac"));
        assertEquals("1st Floor", SlotPath.unescape("$31st$20Floor"));
        assertEquals("$31st$20Floor", SlotPath.escape("1st Floor"));
        assertEquals("kW$2eh$20$28total$29", SlotPath.escape("kW.h (total)"));
        assertEquals("Temp$20$b0F", SlotPath.escape("Temp °F"));
        assertEquals("price $zz", SlotPath.unescape("price $zz"));
    }

    @Test
    void a_row_of_the_year_1012_makes_the_frame_unusable() {
        // found by NiagaraFramesFuzzTest: the year was stored as it came
        assertTrue(reject("{\"messageType\":\"history\",\"stationName\":\"S\",\"historyName\":\"b\","
                        + "\"historyData\":[[\"1012-11-24T00:00:00+01:00\",true]]}")
                .contains("timestamp"));
    }
}
