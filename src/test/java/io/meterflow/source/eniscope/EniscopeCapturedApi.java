package io.meterflow.source.eniscope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The Eniscope readings endpoint over real HTTP, answering from a response in the API's own
 * format (formats/eniscope/readings-59155-3phase.json: 54 hours of 15-minute records of a
 * three-phase channel with its {@code units} map and {@code timeZone}): the records of the asked
 * {@code daterange[]} (end exclusive) and {@code fields[]}, up to {@link #uploadedUntil} (what the
 * device has uploaded so far). A field the channel does not have is answered with HTTP 500
 * "Invalid Parameter", as the API does. Auth as documented (key header, Basic, then the token).
 */
final class EniscopeCapturedApi implements AutoCloseable {

    static final String KEY = "captured-key";
    static final String EMAIL = "api@someorg.com";
    static final String PASSWORD = "thisismypassword";
    static final Set<String> FIELDS = Set.of("E", "E1", "E2", "E3", "P", "P1", "P2", "P3", "Q", "S", "I");

    /** Epoch seconds: records from here on are not uploaded yet. */
    volatile long uploadedUntil = Long.MAX_VALUE;

    /** The {@code fields[]} of every readings request, in order. */
    final List<List<String>> requests = new CopyOnWriteArrayList<>();

    private final HttpServer server;
    private final JsonNode captured;
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();

    EniscopeCapturedApi(int port) throws IOException {
        try (InputStream in =
                EniscopeCapturedApi.class.getResourceAsStream("/formats/eniscope/readings-59155-3phase.json")) {
            captured = new ObjectMapper().readTree(in);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", ex -> {
            try {
                handle(ex);
            } catch (IOException e) {
                ex.close();
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        if (!KEY.equals(ex.getRequestHeaders().getFirst("X-Eniscope-API"))) {
            send(ex, 401, "");
            return;
        }
        String token = ex.getRequestHeaders().getFirst("X-Eniscope-Token");
        if (token == null || !tokens.contains(token)) {
            String basic = "Basic "
                    + java.util.Base64.getEncoder()
                            .encodeToString(
                                    (EMAIL + ":" + EniscopeClient.md5(PASSWORD)).getBytes(StandardCharsets.UTF_8));
            if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "");
                return;
            }
            String fresh = "tok-" + tokens.size();
            tokens.add(fresh);
            ex.getResponseHeaders().add("X-Eniscope-Token", fresh);
        }
        String path = ex.getRequestURI().getPath();
        if (!path.equals("/readings/59155")) {
            send(ex, 404, "");
            return;
        }
        Map<String, List<String>> q = query(ex.getRequestURI().getRawQuery());
        List<String> fields = q.getOrDefault("fields[]", List.of());
        requests.add(fields);
        for (String f : fields) {
            if (!FIELDS.contains(f)) {
                send(ex, 500, "{\"status\":500,\"message\":\"Invalid Parameter\"}");
                return;
            }
        }
        long from = Long.parseLong(q.get("daterange[]").get(0));
        long to = Long.parseLong(q.get("daterange[]").get(1));
        ObjectMapper json = new ObjectMapper();
        ObjectNode body = captured.deepCopy();
        body.put("from", from);
        body.put("to", to);
        ObjectNode units = json.createObjectNode();
        units.put("ts", "Unix Time");
        ArrayNode records = json.createArrayNode();
        for (JsonNode r : captured.get("records")) {
            long ts = r.get("ts").asLong();
            if (ts >= from && ts < to && ts < uploadedUntil) {
                ObjectNode out = json.createObjectNode();
                out.put("ts", ts);
                for (String f : fields) {
                    out.set(f, r.get(f));
                    units.set(f, captured.get("units").get(f));
                }
                records.add(out);
            }
        }
        body.set("units", units);
        body.put("recordCount", records.size());
        body.set("records", records);
        send(ex, 200, json.writeValueAsString(body));
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new ConcurrentHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            q.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
