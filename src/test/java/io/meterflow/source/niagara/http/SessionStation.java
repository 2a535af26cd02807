package io.meterflow.source.niagara.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Niagara 4 station without Basic auth, over real HTTP: its web login as the station runs it
 * (the pre-login with the user name; SCRAM-SHA-256 through {@code POST /j_security_check} with
 * {@code Content-Type: application/x-niagara-login-support}, the server-first message with salt
 * and iterations, the client proof checked against the stored key, the server signature; the
 * {@code JSESSIONID} cookie; the session's page carrying the {@code csrfToken}; logout with that
 * token). Every other request without a logged-in session gets the login page
 * (formats/niagara/login-page.html) with HTTP 200, as such a station answers. The oBIX history
 * query answers formats/niagara/obix-history-query-out.xml.
 */
final class SessionStation implements AutoCloseable {

    static final String USER = "meterflow";
    static final String PASSWORD = "n4-Secret!";
    static final String OBIX_PATH = "/obix/histories/AmsShop/Msb$2d1$20kWh/~historyQuery/";
    private static final byte[] SALT = "AmsShop-salt-2025".getBytes(StandardCharsets.UTF_8);
    private static final int ITERATIONS = 4096;

    final AtomicInteger logins = new AtomicInteger();
    final AtomicInteger logouts = new AtomicInteger();
    final AtomicInteger obixCalls = new AtomicInteger();
    private final HttpServer server;
    private final byte[] storedKey;
    private final byte[] serverKey;
    private final Map<String, String> pending = new ConcurrentHashMap<>(); // session -> client-first-bare,server-first
    private final Map<String, String> sessions = new ConcurrentHashMap<>(); // logged-in session -> CSRF token
    private final Set<String> loggedOutTokens = ConcurrentHashMap.newKeySet();

    SessionStation(int port) throws IOException {
        byte[] salted = ScramSha256.hi(PASSWORD, SALT, ITERATIONS);
        storedKey = ScramSha256.sha256(ScramSha256.hmac(salted, "Client Key"));
        serverKey = ScramSha256.hmac(salted, "Server Key");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/", ex -> {
            try {
                serve(ex);
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

    /** Ends every session, as a station restart does. */
    void expireSessions() {
        sessions.clear();
    }

    /** Whether a logout came with the CSRF token of its session. */
    boolean loggedOutWithToken() {
        return !loggedOutTokens.isEmpty();
    }

    private void serve(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        String session = cookie(ex, "JSESSIONID");
        if (path.equals("/prelogin")) {
            send(ex, 200, "text/html", fixture("login-page.html"));
            return;
        }
        if (path.equals("/j_security_check") && method.equals("POST")) {
            login(ex, session);
            return;
        }
        if (path.equals("/logout")) {
            String token = sessions.remove(session == null ? "" : session);
            String query = ex.getRequestURI().getRawQuery();
            if (token != null && query != null && query.equals("csrfToken=" + token)) {
                loggedOutTokens.add(token);
            }
            logouts.incrementAndGet();
            send(ex, 200, "text/html", fixture("login-page.html"));
            return;
        }
        if (session == null || !sessions.containsKey(session)) {
            send(ex, 200, "text/html; charset=UTF-8", fixture("login-page.html"));
            return;
        }
        if (path.equals("/j_security_check/")) {
            String page = "<!DOCTYPE html><html><head><title>AmsShop</title></head><body>"
                    + "<form id=\"logoutForm\" action=\"/logout\"><input type=\"hidden\" id=\"csrfToken\""
                    + " name=\"csrfToken\" value=\"" + sessions.get(session) + "\"/></form></body></html>";
            send(ex, 200, "text/html", page.getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (path.equals(OBIX_PATH)) {
            obixCalls.incrementAndGet();
            send(ex, 200, "text/xml", fixture("obix-history-query-out.xml"));
            return;
        }
        send(ex, 404, "text/plain", new byte[0]);
    }

    /** The two SCRAM steps of {@code POST /j_security_check}. */
    private void login(HttpExchange ex, String session) throws IOException {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!StationClient.LOGIN_CONTENT_TYPE.equals(type) || !USER.equals(cookie(ex, "niagara_userid"))) {
            send(ex, 400, "text/plain", new byte[0]);
            return;
        }
        if (body.startsWith("action=sendClientFirstMessage&clientFirstMessage=n,,")) {
            String bare = body.substring("action=sendClientFirstMessage&clientFirstMessage=n,,".length());
            if (!USER.equals(ScramSha256.attribute(bare, 'n'))) {
                send(ex, 403, "text/plain", new byte[0]);
                return;
            }
            String nonce = ScramSha256.attribute(bare, 'r') + UUID.randomUUID();
            String serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(SALT) + ",i=" + ITERATIONS;
            String fresh = UUID.randomUUID().toString().replace("-", "");
            pending.put(fresh, bare + "," + serverFirst);
            ex.getResponseHeaders().add("Set-Cookie", "JSESSIONID=" + fresh + "; Path=/; HttpOnly");
            send(ex, 200, "text/plain", serverFirst.getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (body.startsWith("action=sendClientFinalMessage&clientFinalMessage=") && session != null) {
            String first = pending.remove(session);
            String clientFinal = body.substring("action=sendClientFinalMessage&clientFinalMessage=".length());
            int p = clientFinal.lastIndexOf(",p=");
            if (first == null || p < 0) {
                send(ex, 403, "text/plain", new byte[0]);
                return;
            }
            String authMessage = first + "," + clientFinal.substring(0, p);
            byte[] proof = Base64.getDecoder().decode(clientFinal.substring(p + 3));
            byte[] signature = ScramSha256.hmac(storedKey, authMessage);
            byte[] clientKey = new byte[proof.length];
            for (int i = 0; i < proof.length && i < signature.length; i++) {
                clientKey[i] = (byte) (proof[i] ^ signature[i]);
            }
            if (!MessageDigest.isEqual(ScramSha256.sha256(clientKey), storedKey)) {
                send(ex, 403, "text/plain", "Login failed".getBytes(StandardCharsets.UTF_8));
                return;
            }
            sessions.put(session, "csrf-" + UUID.randomUUID());
            logins.incrementAndGet();
            String verifier = "v=" + Base64.getEncoder().encodeToString(ScramSha256.hmac(serverKey, authMessage));
            send(ex, 200, "text/plain", verifier.getBytes(StandardCharsets.UTF_8));
            return;
        }
        send(ex, 400, "text/plain", new byte[0]);
    }

    private static String cookie(HttpExchange ex, String name) {
        String header = ex.getRequestHeaders().getFirst("Cookie");
        if (header == null) {
            return null;
        }
        for (String part : header.split(";")) {
            String p = part.trim();
            if (p.startsWith(name + "=")) {
                return p.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = SessionStation.class.getResourceAsStream("/formats/niagara/" + name)) {
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
