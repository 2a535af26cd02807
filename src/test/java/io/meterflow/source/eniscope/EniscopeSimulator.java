package io.meterflow.source.eniscope;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * An Eniscope Core API over real HTTP, as documented: API key header, Basic with md5(password) or
 * the session token it hands out, paged channel lists (string ids, {@code meta.pageCount}), and
 * readings with repeated {@code fields[]}, {@code daterange[]} epoch bounds (end exclusive),
 * {@code ts} labelling the interval start, {@code E} Wh per interval = P × Δt, and {@code res=60}
 * coarsened to 900 for ranges of a day or more. Organizations, devices and channels are paged
 * two a page. Faults can be set per channel: 429x2, 500, bad (JSON without records), html (not
 * JSON), slow (answers after 2 s).
 */
final class EniscopeSimulator implements AutoCloseable {

    static final String KEY = "sim-key";
    static final String EMAIL = "api@someorg.com";
    static final String PASSWORD = "thisismypassword";

    final HttpServer server;
    final Map<String, String> faults = new ConcurrentHashMap<>();
    final AtomicInteger basicLogins = new AtomicInteger();
    final AtomicInteger readingsCalls = new AtomicInteger();
    volatile boolean expireTokens;
    private final Map<String, AtomicInteger> faultCounts = new ConcurrentHashMap<>();
    private final List<String> tokens = new ArrayList<>();
    /** Organizations: id, name, parent, timezone. 17159 sits below 17158; 17160 is another customer. */
    private static final String[][] ORGANIZATIONS = {
        {"17158", "Best Retail", null, "America/Mexico_City"},
        {"17159", "Store 12", "17158", null},
        {"17160", "Other Co", null, "Europe/Madrid"}
    };
    /** Devices: id, organization, timezone; the second sends its id as a number, as the doc's sample does. */
    private static final String[][] DEVICES = {
        {"41281", "17159", "America/Mexico_City"}, {"41282", "17160", "Europe/Madrid"}
    };
    /** Channels: id, device, organization. */
    private static final String[][] CHANNELS = {
        {"59155", "41281", "17159"},
        {"59156", "41281", "17159"},
        {"59157", "41281", "17159"},
        {"59158", "41282", "17160"}
    };

    EniscopeSimulator() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            String path = ex.getRequestURI().getPath();
            if (path.startsWith("/readings/") && "slow".equals(faults.get(path.substring("/readings/".length())))) {
                try {
                    Thread.sleep(2_000); // longer than the client's time-out; other requests go on meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                handle(ex);
            } catch (IOException e) {
                ex.close(); // the client gave up waiting
            }
        });
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private synchronized void handle(HttpExchange ex) throws IOException {
        if (!KEY.equals(ex.getRequestHeaders().getFirst("X-Eniscope-API"))) {
            send(ex, 401, "");
            return;
        }
        String token = ex.getRequestHeaders().getFirst("X-Eniscope-Token");
        if (token != null) {
            if (expireTokens || !tokens.contains(token)) {
                expireTokens = false;
                tokens.clear();
                send(ex, 419, "");
                return;
            }
        } else {
            String basic = "Basic "
                    + Base64.getEncoder()
                            .encodeToString(
                                    (EMAIL + ":" + EniscopeClient.md5(PASSWORD)).getBytes(StandardCharsets.UTF_8));
            if (!basic.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "");
                return;
            }
            basicLogins.incrementAndGet();
            String fresh = "tok-" + basicLogins.get();
            tokens.add(fresh);
            ex.getResponseHeaders().add("X-Eniscope-Token", fresh);
        }
        String path = ex.getRequestURI().getPath();
        Map<String, List<String>> q = query(ex.getRequestURI().getRawQuery());
        if (path.equals("/organizations")) {
            send(ex, 200, page(q, "organizations", ORGANIZATIONS.length, i -> {
                String[] o = ORGANIZATIONS[i];
                return "{\"organizationId\":\"" + o[0] + "\",\"organizationName\":\"" + o[1] + "\",\"parentId\":"
                        + (o[2] == null ? "null" : "\"" + o[2] + "\"") + ",\"timeZone\":"
                        + (o[3] == null ? "null" : "\"" + o[3] + "\"")
                        + ",\"currencyCode\":\"MXN\",\"sortCode\":\"1-2-3-" + o[0] + "-\"}";
            }));
            return;
        }
        if (path.equals("/devices")) {
            send(ex, 200, page(q, "devices", DEVICES.length, i -> {
                String[] d = DEVICES[i];
                String id = i == 1 ? d[0] : "\"" + d[0] + "\"";
                return "{\"deviceId\":" + id + ",\"deviceName\":\"Eniscope " + d[0] + "\",\"uuId\":\"0600007777B8000"
                        + i
                        + "\",\"deviceTypeId\":\"20\",\"deviceTypeName\":\"Eniscope Hybrid 8\",\"organizationId\":\""
                        + d[1]
                        + "\",\"timeZone\":\"" + d[2]
                        + "\",\"status\":\"1\",\"registered\":\"1568836205\",\"expires\":\"1600458605\"}";
            }));
            return;
        }
        if (path.equals("/channels")) {
            send(ex, 200, page(q, "channels", CHANNELS.length, i -> {
                String[] c = CHANNELS[i];
                return "{\"dataChannelId\":\"" + c[0] + "\",\"channelName\":\"Channel " + c[0]
                        + "\",\"uuId\":\"5410ECA8722E000" + i + "\",\"deviceId\":\"" + c[1] + "\",\"organizationId\":\""
                        + c[2] + "\",\"displayedPhase\":\"system\",\"status\":\"1\"}";
            }));
            return;
        }
        if (path.startsWith("/readings/")) {
            readingsCalls.incrementAndGet();
            String channel = path.substring("/readings/".length());
            String fault = faults.get(channel);
            if (fault != null) {
                int n = faultCounts
                        .computeIfAbsent(channel, c -> new AtomicInteger())
                        .incrementAndGet();
                if (fault.equals("500") || (fault.equals("429x2") && n <= 2)) {
                    send(ex, fault.equals("500") ? 500 : 429, "");
                    return;
                }
                if (fault.equals("bad")) {
                    send(ex, 200, "{\"uuid\":\"x\",\"message\":\"maintenance\"}");
                    return;
                }
                if (fault.equals("html")) {
                    send(ex, 200, "<html><body>Scheduled maintenance</body></html>");
                    return;
                }
            }
            List<String> range = q.get("daterange[]");
            long from = Long.parseLong(range.get(0));
            long to = Long.parseLong(range.get(1));
            int res = Integer.parseInt(first(q, "res", "900"));
            if (res == 60 && to - from >= 86_400) {
                res = 900; // the server coarsens long ranges silently
            }
            List<String> fields = q.getOrDefault("fields[]", List.of("E", "P"));
            StringBuilder sb = new StringBuilder("{\"uuid\":\"5410ECA8722E0001\",\"channel\":")
                    .append(channel)
                    .append(",\"timeZone\":\"America/Mexico_City\",\"from\":")
                    .append(from)
                    .append(",\"to\":")
                    .append(to)
                    .append(",\"resolution\":")
                    .append(res)
                    .append(",\"action\":\"summarize\",\"units\":{\"E\":\"Wh\",\"P\":\"W\"},\"records\":[");
            boolean firstRecord = true;
            for (long ts = from; ts < to; ts += res) {
                double p = power(ts);
                sb.append(firstRecord ? "" : ",").append("{\"ts\":").append(ts);
                for (String f : fields) {
                    double v =
                            switch (f) {
                                case "E" -> p * res / 3600.0;
                                case "P" -> p;
                                case "V" -> 230.0;
                                default -> 1.0;
                            };
                    sb.append(",\"").append(f).append("\":").append(v);
                }
                sb.append('}');
                firstRecord = false;
            }
            sb.append("],\"operatingHours\":{}}");
            send(ex, 200, sb.toString());
            return;
        }
        send(ex, 404, "");
    }

    /** One page of a collection (at most 2 records a page, to exercise paging) in the documented envelope. */
    private static String page(Map<String, List<String>> q, String collection, int count, IntFunction<String> record) {
        int limit = Math.min(2, Integer.parseInt(first(q, "limit", "20")));
        int page = Integer.parseInt(first(q, "page", "1"));
        StringBuilder sb = new StringBuilder("{\"").append(collection).append("\":[");
        for (int i = (page - 1) * limit, k = 0; i < count && k < limit; i++, k++) {
            sb.append(k > 0 ? "," : "").append(record.apply(i));
        }
        int pages = (count + limit - 1) / limit;
        return sb.append("],\"meta\":{\"currentPage\":")
                .append(page)
                .append(",\"recordsPerPage\":")
                .append(limit)
                .append(",\"recordCount\":")
                .append(count)
                .append(",\"pageCount\":")
                .append(pages)
                .append("}}")
                .toString();
    }

    /** The simulated mean power in W of the interval starting at {@code ts}. */
    static double power(long ts) {
        return 1000 + (ts / 900 % 10) * 10;
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> q = new ConcurrentHashMap<>();
        if (raw == null) {
            return q;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            q.computeIfAbsent(k, x -> new ArrayList<>())
                    .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    private static String first(Map<String, List<String>> q, String key, String fallback) {
        List<String> v = q.get(key);
        return v == null || v.isEmpty() ? fallback : v.get(0);
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
