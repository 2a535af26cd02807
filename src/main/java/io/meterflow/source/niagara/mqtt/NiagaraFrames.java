package io.meterflow.source.niagara.mqtt;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.ingest.TimestampParser;
import io.meterflow.series.Sample;
import io.meterflow.settings.EngineSettings;
import io.meterflow.source.niagara.History;
import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.NiagaraStatus;
import io.meterflow.source.niagara.UnusablePayload;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses Niagara history frames as published over MQTT. There is no one Tridium format: a JSON
 * Toolkit schema lays a frame out as its integrator chose, so where each part is comes from
 * {@link EngineSettings.FrameKeys} (JSON pointers, the first present wins). The defaults read the
 * known shapes:
 * <ul>
 *   <li>the flat frame: {@code messageType: "history"}, {@code stationName}, the history id in
 *       {@code historyId}, {@code id}, {@code historyName} or {@code name}, and {@code historyData};</li>
 *   <li>the point-object frame: the same with a {@code point} object naming the history
 *       ({@code n:history}) and its unit ({@code hs:unit});</li>
 *   <li>the CSIRO DCH history export: {@code {"point": {"pointName", "historyData": [[ts, value], ...]}}},
 *       without {@code messageType} or station (the station is then
 *       {@code meterflow.mqtt.default-station}).</li>
 * </ul>
 * A message may hold one frame or an array of them. Rows are objects (timestamp, value,
 * optional status) or {@code [timestamp, value(, status)]} arrays. Timestamps must carry an offset
 * ({@code 2025-11-24 00:00:01.349-0700}) or be epoch numbers: a station's local time is never
 * guessed. A frame with a {@code messageType} other than {@code history} is not one.
 */
public final class NiagaraFrames {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile NiagaraFrames defaults;

    private final List<JsonPointer> station;
    private final List<JsonPointer> history;
    private final List<JsonPointer> rows;
    private final List<JsonPointer> timestamp;
    private final List<JsonPointer> value;
    private final List<JsonPointer> status;
    private final List<JsonPointer> unit;
    private final String defaultStation;
    private final EngineSettings.FrameKeys keys;

    public NiagaraFrames(EngineSettings.FrameKeys keys) {
        this.keys = keys;
        this.station = compile(keys.station());
        this.history = compile(keys.history());
        this.rows = compile(keys.rows());
        this.timestamp = compile(keys.timestamp());
        this.value = compile(keys.value());
        this.status = compile(keys.status());
        this.unit = compile(keys.unit());
        this.defaultStation = keys.defaultStation();
    }

    /** Parses with the default keys. */
    public static List<History> parse(byte[] payload) throws UnusablePayload {
        NiagaraFrames d = defaults;
        if (d == null) {
            d = new NiagaraFrames(EngineSettings.FrameKeys.defaults());
            defaults = d;
        }
        return d.read(payload);
    }

    private static List<JsonPointer> compile(List<String> pointers) {
        return pointers.stream().map(JsonPointer::compile).toList();
    }

    /** The histories of one message. */
    public List<History> read(byte[] payload) throws UnusablePayload {
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

    private History frame(JsonNode f, String where) throws UnusablePayload {
        if (!f.isObject()) {
            throw new UnusablePayload(where + "not a JSON object");
        }
        JsonNode typeNode = f.get("messageType");
        if (typeNode != null && !"history".equals(typeNode.asText(null))) {
            throw new UnusablePayload(where + "messageType is '" + typeNode.asText() + "', not 'history'");
        }
        String stationName = text(f, station);
        if (stationName == null) {
            stationName = defaultStation.isBlank() ? null : defaultStation;
        }
        if (stationName == null) {
            throw new UnusablePayload(where + name(keys.station()) + " is missing (a frame that names no station"
                    + " needs meterflow.mqtt.default-station)");
        }
        String id = text(f, history);
        if (id == null) {
            throw new UnusablePayload(where + "no history id (" + String.join(", ", keys.history()) + ")");
        }
        JsonNode data = first(f, rows, true);
        if (data == null) {
            throw new UnusablePayload(where + name(keys.rows()) + " is missing or not an array");
        }
        TimestampParser timestamps = new TimestampParser(ZoneOffset.UTC);
        List<HistoryRow> out = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            JsonNode r = data.get(i);
            JsonNode ts;
            JsonNode v;
            JsonNode st;
            if (r.isArray()) {
                ts = r.get(0);
                v = r.get(1);
                st = r.get(2);
            } else {
                ts = first(r, timestamp, false);
                v = first(r, value, false);
                st = first(r, status, false);
            }
            long millis;
            double d;
            try {
                millis = millis(ts, timestamps);
                d = number(v);
                if (!Sample.usable(d)) {
                    throw new UnusablePayload("value is not finite or beyond ±1e15: " + v);
                }
            } catch (UnusablePayload e) {
                // the row's place, written only for a row that is refused (not for every row)
                throw new UnusablePayload(where + "historyData[" + i + "]: " + e.getMessage());
            }
            int bits = st == null || st.isNull() ? HistoryRow.NO_STATUS : NiagaraStatus.bits(st.asText());
            out.add(new HistoryRow(millis, d, bits));
        }
        return new History(stationName, id, out, text(f, unit));
    }

    private static long millis(JsonNode ts, TimestampParser timestamps) throws UnusablePayload {
        if (ts != null && ts.isIntegralNumber()) {
            long n = ts.asLong();
            long millis = Math.abs(n) < 100_000_000_000L ? n * 1000 : n; // epoch seconds or milliseconds
            if (!Sample.usableTime(millis)) {
                throw new UnusablePayload("bad timestamp: " + ts);
            }
            return millis;
        }
        if (ts == null || !ts.isTextual() || !hasOffset(ts.asText())) {
            throw new UnusablePayload("timestamp missing or without an offset: " + ts);
        }
        long millis = timestamps.parse(ts.asText());
        if (millis == TimestampParser.INVALID) {
            throw new UnusablePayload("bad timestamp: " + ts.asText());
        }
        return millis;
    }

    private static double number(JsonNode value) throws UnusablePayload {
        if (value != null && value.isNumber()) {
            return value.asDouble();
        }
        if (value != null && value.isBoolean()) {
            return value.asBoolean() ? 1 : 0;
        }
        if (value != null && value.isTextual() && !value.asText().isBlank()) {
            try {
                return Double.parseDouble(value.asText().trim());
            } catch (NumberFormatException e) {
                throw new UnusablePayload("value is not numeric: " + value);
            }
        }
        throw new UnusablePayload("value is not numeric: " + value);
    }

    private static boolean hasOffset(String ts) {
        String t = ts.trim();
        if (t.endsWith("Z") || t.endsWith("z")) {
            return true;
        }
        int tail = Math.max(t.lastIndexOf('+'), t.lastIndexOf('-'));
        return tail > 10;
    }

    /** The first node present at one of the pointers (an array when {@code array}), or null. */
    private static JsonNode first(JsonNode n, List<JsonPointer> pointers, boolean array) {
        for (JsonPointer p : pointers) {
            JsonNode v = n.at(p);
            if (!v.isMissingNode() && !v.isNull() && (!array || v.isArray())) {
                return v;
            }
        }
        return null;
    }

    /** The first non-blank text (or number) at one of the pointers, or null. */
    private static String text(JsonNode n, List<JsonPointer> pointers) {
        for (JsonPointer p : pointers) {
            JsonNode v = n.at(p);
            if (v.isValueNode() && !v.isNull() && !v.asText().isBlank()) {
                return v.asText();
            }
        }
        return null;
    }

    /** The key a pointer list looks for first ({@code /stationName} → {@code stationName}), for messages. */
    private static String name(List<String> pointers) {
        if (pointers.isEmpty()) {
            return "the key";
        }
        String p = pointers.get(0);
        return p.substring(p.lastIndexOf('/') + 1);
    }
}
