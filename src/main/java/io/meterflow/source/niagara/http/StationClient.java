package io.meterflow.source.niagara.http;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * One poll run's HTTP conversation with a station: GETs authenticated as the station is
 * configured (none, Basic, or the Niagara 4 session login of {@link ScramSha256}), where an answer
 * that is the station's login page (HTML asking for a login, or a redirect to one) is an
 * authentication failure, never data. In session mode the client logs in before the first
 * request, again once when the session is gone, and logs out (with the session's CSRF token)
 * when the run ends.
 */
final class StationClient implements AutoCloseable {

    /** A station that would not let this client in: the history is skipped, nothing is dead-lettered. */
    static final class AuthFailure extends IOException {
        AuthFailure(String message) {
            super(message);
        }
    }

    static final String LOGIN_CONTENT_TYPE = "application/x-niagara-login-support";
    private static final Pattern SESSION_COOKIE = Pattern.compile("(?i)^\\s*JSESSIONID=([^;]*)");
    private static final Pattern CSRF_INPUT = Pattern.compile("<input [^<>]*id=['\"]csrfToken['\"][^<>]*>");
    private static final Pattern VALUE = Pattern.compile("value=['\"]([^'\"]*)['\"]");

    private final NiagaraStation.Connection c;
    private final HttpClient http;
    private String session;
    private String csrfToken;
    private boolean loggedIn;

    StationClient(NiagaraStation.Connection c) {
        this.c = c;
        this.http = client(c);
    }

    /** The body of a GET of {@code url} (an absolute URL on the station). */
    byte[] get(String url) throws IOException, InterruptedException {
        if (c.auth() == NiagaraStation.Auth.SESSION && !loggedIn) {
            login();
        }
        HttpResponse<byte[]> r = send(url);
        if (c.auth() == NiagaraStation.Auth.SESSION && isLogin(r)) {
            loggedIn = false; // the session ended (a station restart, an idle time-out): once more
            login();
            r = send(url);
        }
        if (isLogin(r)) {
            throw new AuthFailure("the station answered with its login page: not logged in ("
                    + (c.auth() == NiagaraStation.Auth.SESSION
                            ? "the session login did not hold"
                            : "set auth: session, or use a user of the station's HTTPBasicScheme")
                    + ")");
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new AuthFailure("HTTP " + r.statusCode() + " from " + url + ": login refused");
        }
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " from " + url);
        }
        return r.body();
    }

    private HttpResponse<byte[]> send(String url) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(c.timeout());
        switch (c.auth()) {
            case BASIC ->
                b.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString((c.user() + ":" + (c.password() == null ? "" : c.password()))
                                                .getBytes(StandardCharsets.UTF_8)));
            case SESSION -> b.header("Cookie", cookies());
            case NONE -> {}
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * Niagara 4's login, as its web login page runs it: the pre-login with the user name, the
     * SCRAM-SHA-256 exchange with {@code /j_security_check} (client-first, then client-final with
     * the proof; the station's signature checked), then the login page of the session, whose
     * {@code csrfToken} is kept.
     */
    void login() throws IOException, InterruptedException {
        session = null;
        csrfToken = null;
        loggedIn = false;
        String base = c.baseUrl();
        HttpResponse<byte[]> pre = http.send(
                HttpRequest.newBuilder(URI.create(base + "/prelogin?clear=true"))
                        .timeout(c.timeout())
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        remember(pre);
        remember(post(
                base + "/prelogin",
                "application/x-www-form-urlencoded",
                "j_username=" + URLEncoder.encode(c.user(), StandardCharsets.UTF_8)));
        ScramSha256 scram = new ScramSha256(c.user(), c.password() == null ? "" : c.password());
        HttpResponse<byte[]> first = post(
                base + "/j_security_check",
                LOGIN_CONTENT_TYPE,
                "action=sendClientFirstMessage&clientFirstMessage=" + scram.clientFirstMessage());
        remember(first);
        if (first.statusCode() != 200) {
            throw new AuthFailure("session login refused: HTTP " + first.statusCode() + " to the first message");
        }
        String clientFinal;
        try {
            clientFinal = scram.clientFinalMessage(text(first).trim());
        } catch (IllegalArgumentException e) {
            throw new AuthFailure("session login: " + e.getMessage());
        }
        HttpResponse<byte[]> last = post(
                base + "/j_security_check",
                LOGIN_CONTENT_TYPE,
                "action=sendClientFinalMessage&clientFinalMessage=" + clientFinal);
        remember(last);
        if (last.statusCode() != 200) {
            throw new AuthFailure("session login refused (user or password): HTTP " + last.statusCode());
        }
        if (!scram.verifyServerFinal(text(last).trim())) {
            throw new AuthFailure("session login: the station's signature does not match (not this station's"
                    + " password, or not a Niagara station)");
        }
        if (session == null) {
            throw new AuthFailure("session login: the station set no session cookie");
        }
        HttpResponse<byte[]> page = http.send(
                HttpRequest.newBuilder(URI.create(base + "/j_security_check/"))
                        .timeout(c.timeout())
                        .header("Cookie", cookies())
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        remember(page);
        loggedIn = true;
        Matcher input = CSRF_INPUT.matcher(text(page));
        if (input.find()) {
            Matcher value = VALUE.matcher(input.group());
            if (value.find()) {
                csrfToken = value.group(1);
            }
        }
    }

    /** The CSRF token of the session (null before login, or when the station shows none). */
    String csrfToken() {
        return csrfToken;
    }

    /** Logs out of a session (the station keeps few); nothing for Basic. */
    @Override
    public void close() {
        if (!loggedIn) {
            return;
        }
        String url = c.baseUrl() + "/logout"
                + (csrfToken == null ? "" : "?csrfToken=" + URLEncoder.encode(csrfToken, StandardCharsets.UTF_8));
        try {
            http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(c.timeout())
                            .header("Cookie", cookies())
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            // the session ends on its own when the station times it out
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session = null;
        loggedIn = false;
    }

    private HttpResponse<byte[]> post(String url, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(c.timeout())
                .header("Content-Type", contentType)
                .header("Cookie", cookies())
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String cookies() {
        String user = "niagara_userid=" + c.user();
        return session == null ? user : "JSESSIONID=" + session + "; " + user;
    }

    private void remember(HttpResponse<?> r) {
        for (String cookie : r.headers().allValues("Set-Cookie")) {
            Matcher m = SESSION_COOKIE.matcher(cookie);
            if (m.find()) {
                session = m.group(1);
            }
        }
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /**
     * Whether an answer is a login page, not data: a redirect to a login URL, or HTML with a login
     * form (a station without Basic auth answers a request so, often with HTTP 200).
     */
    static boolean isLogin(HttpResponse<byte[]> r) {
        int status = r.statusCode();
        if (status >= 300 && status < 400) {
            String to = r.headers().firstValue("Location").orElse("").toLowerCase(Locale.ROOT);
            return to.contains("login") || to.contains("j_security_check");
        }
        String type = r.headers().firstValue("Content-Type").orElse("").toLowerCase(Locale.ROOT);
        String head = new String(r.body(), 0, Math.min(r.body().length, 8192), StandardCharsets.UTF_8)
                .toLowerCase(Locale.ROOT);
        boolean html = type.startsWith("text/html")
                || head.stripLeading().startsWith("<!doctype html")
                || head.stripLeading().startsWith("<html");
        return html
                && (head.contains("j_security_check")
                        || head.contains("prelogin")
                        || head.contains("type=\"password\"")
                        || head.contains("type='password'")
                        || head.contains("login"));
    }

    private static HttpClient client(NiagaraStation.Connection c) {
        Duration connect = c.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? c.timeout() : Duration.ofSeconds(10);
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connect);
        if (c.insecureTls()) {
            try {
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(null, new TrustManager[] {new TrustEveryCertificate()}, new SecureRandom());
                b.sslContext(ssl);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return b.build();
    }
}
