package io.meterflow.source.niagara.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A Niagara station over real HTTP (or HTTPS): Basic auth (user {@code obix}, password
 * {@code secret}), oBIX history queries of history {@code Main$20kW} over {@link #records}
 * one-minute records from {@link #START} (value = record index), paged by {@code limit}, and the
 * history CSV export {@code Zone$20Temp}. The public fields change its answers while it runs.
 */
final class StationSimulator implements AutoCloseable {

    static final Instant START = Instant.parse("2025-11-20T00:00:00Z");
    static final String OBIX_PATH = "/obix/histories/AmsShop/Main$20kW/~historyQuery/";
    static final String CSV_PATH = "/file/AmsShop/historyExports/Zone$20Temp.csv";

    volatile Instant start = START;
    volatile int records = 2500;
    volatile String csv =
            "\uFEFFTimestamp,Value (°F)\n22-Nov-25 1:00:00 AM MST,70.50\n22-Nov-25 1:05:00 AM MST, -1.25\n";
    volatile long obixDelayMillis;
    volatile String obixBody;
    volatile int obixStatus = 200;
    final AtomicInteger obixCalls = new AtomicInteger();
    private final HttpServer server;

    private StationSimulator(HttpServer server) {
        this.server = server;
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    static StationSimulator http() throws IOException {
        return new StationSimulator(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
    }

    static StationSimulator https(SSLContext tls) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new StationSimulator(server);
    }

    String url() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:"
                + server.getAddress().getPort();
    }

    private void serve(HttpExchange ex) throws IOException {
        String auth = "Basic " + Base64.getEncoder().encodeToString("obix:secret".getBytes(StandardCharsets.UTF_8));
        if (!auth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            ex.sendResponseHeaders(401, -1);
            ex.close();
            return;
        }
        String path = ex.getRequestURI().getPath();
        byte[] body;
        if (path.equals(OBIX_PATH)) {
            obixCalls.incrementAndGet();
            if (obixStatus != 200) {
                ex.sendResponseHeaders(obixStatus, -1);
                ex.close();
                return;
            }
            if (obixDelayMillis > 0) {
                try {
                    Thread.sleep(obixDelayMillis); // a slow station: longer than the client's time-out
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            body = (obixBody != null ? obixBody : obix(ex)).getBytes(StandardCharsets.UTF_8);
        } else if (path.equals(CSV_PATH)) {
            body = csv.getBytes(StandardCharsets.UTF_8);
        } else {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        try {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        } catch (IOException e) {
            // the client gave up waiting
        }
        ex.close();
    }

    private String obix(HttpExchange ex) {
        Map<String, String> q = new HashMap<>();
        for (String p : ex.getRequestURI().getRawQuery().split("&")) {
            q.put(
                    p.substring(0, p.indexOf('=')),
                    URLDecoder.decode(p.substring(p.indexOf('=') + 1), StandardCharsets.UTF_8));
        }
        long from = Instant.parse(q.get("start")).toEpochMilli();
        int limit = Integer.parseInt(q.get("limit"));
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><obj is=\"obix:HistoryQueryOut\""
                + " xmlns=\"http://obix.org/ns/schema/1.0\"><list name=\"data\">");
        int n = 0;
        for (int i = 0; i < records && n < limit; i++) {
            long t = start.toEpochMilli() + i * 60_000L;
            if (t >= from) {
                sb.append("<obj><abstime name=\"timestamp\" val=\"")
                        .append(Instant.ofEpochMilli(t).atOffset(ZoneOffset.ofHours(-7)))
                        .append("\"/><real name=\"value\" val=\"")
                        .append(i)
                        .append("\"/></obj>");
                n++;
            }
        }
        return sb.append("</list><int name=\"count\" val=\"")
                .append(n)
                .append("\"/></obj>")
                .toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
