package io.meterflow.source.niagara.mqtt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.ingest.TimestampParser;
import io.meterflow.series.Sample;
import io.meterflow.source.niagara.History;
import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.NiagaraStatus;
import io.meterflow.source.niagara.UnusablePayload;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses Niagara history frames as published over MQTT: a JSON object, or an array of them, with
 * {@code messageType: "history"}, {@code stationName}, the history id in {@code historyId},
 * {@code id}, {@code historyName} or {@code name} (first present), and {@code historyData} rows
 * as objects ({@code timestamp}, {@code value}, optional {@code status}) or as
 * {@code [timestamp, value(, status)]} arrays. Timestamps must carry an offset
 * ({@code 2025-11-24 00:00:01.349-0700}): a station's local time is never guessed.
 */
public final class NiagaraFrames {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NiagaraFrames() {}

    public static List<History> parse(byte[] payload) throws UnusablePayload {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new UnusablePayload(
                    "not JSON: " + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || root.isMissingNode()) {
            throw new UnusablePayload("empty message");
        }
        List<History> out = new ArrayList<>();
        if (root.isArray()) {
            for (int i = 0; i < root.size(); i++) {
                out.add(frame(root.get(i), "frame " + i + ": "));
            }
        } else {
            out.add(frame(root, ""));
        }
        return out;
    }

    private static History frame(JsonNode f, String where) throws UnusablePayload {
        if (!f.isObject()) {
            throw new UnusablePayload(where + "not a JSON object");
        }
        String type = f.path("messageType").asText(null);
        if (!"history".equals(type)) {
            throw new UnusablePayload(
                    where + "messageType is " + (type == null ? "missing" : "'" + type + "'") + ", not 'history'");
        }
        String station = text(f, "stationName");
        if (station == null) {
            throw new UnusablePayload(where + "stationName is missing");
        }
        String id = null;
        for (String key : new String[] {"historyId", "id", "historyName", "name"}) {
            id = text(f, key);
            if (id != null) {
                break;
            }
        }
        if (id == null) {
            throw new UnusablePayload(where + "no history id (historyId, id, historyName or name)");
        }
        JsonNode data = f.get("historyData");
        if (data == null || !data.isArray()) {
            throw new UnusablePayload(where + "historyData is missing or not an array");
        }
        TimestampParser timestamps = new TimestampParser(ZoneOffset.UTC);
        List<HistoryRow> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            JsonNode r = data.get(i);
            JsonNode ts;
            JsonNode value;
            JsonNode status;
            if (r.isArray()) {
                ts = r.get(0);
                value = r.get(1);
                status = r.get(2);
            } else {
                ts = r.get("timestamp");
                value = r.get("value");
                status = r.get("status");
            }
            String where2 = where + "historyData[" + i + "]: ";
            if (ts == null || !ts.isTextual() || !hasOffset(ts.asText())) {
                throw new UnusablePayload(where2 + "timestamp missing or without an offset: " + ts);
            }
            long millis = timestamps.parse(ts.asText());
            if (millis == TimestampParser.INVALID) {
                throw new UnusablePayload(where2 + "bad timestamp: " + ts.asText());
            }
            double v;
            if (value != null && value.isNumber()) {
                v = value.asDouble();
            } else if (value != null && value.isBoolean()) {
                v = value.asBoolean() ? 1 : 0;
            } else if (value != null && value.isTextual() && !value.asText().isBlank()) {
                try {
                    v = Double.parseDouble(value.asText().trim());
                } catch (NumberFormatException e) {
                    throw new UnusablePayload(where2 + "value is not numeric: " + value);
                }
            } else {
                throw new UnusablePayload(where2 + "value is not numeric: " + value);
            }
            if (!Sample.usable(v)) {
                throw new UnusablePayload(where2 + "value is not finite or beyond ±1e15: " + value);
            }
            rows.add(new HistoryRow(millis, v, NiagaraStatus.bits(status == null ? null : status.asText())));
        }
        return new History(station, id, rows);
    }

    private static boolean hasOffset(String ts) {
        String t = ts.trim();
        if (t.endsWith("Z") || t.endsWith("z")) {
            return true;
        }
        int tail = Math.max(t.lastIndexOf('+'), t.lastIndexOf('-'));
        return tail > 10;
    }

    private static String text(JsonNode f, String key) {
        JsonNode n = f.get(key);
        return n == null || n.isNull() || n.asText().isBlank() ? null : n.asText();
    }
}
