package io.meterflow.source.eniscope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The Eniscope Core API as documented: every request carries {@code X-Eniscope-API}; the first
 * authenticates with Basic {@code email:md5hex(password)} and later ones reuse the session token
 * the server returns in {@code X-Eniscope-Token}. A 401 or 419 drops the token and logs in again,
 * once. 429 and 5xx (and time-outs) are retried with doubling back-off, then reported; a 500
 * "Invalid Parameter" (a field the channel does not have) is reported at once.
 */
public final class EniscopeClient {

    /** The API failed for this request; {@code status} is the last HTTP status (0: no answer). */
    public static class ApiFailure extends Exception {
        public final int status;

        ApiFailure(String message, int status) {
            super(message);
            this.status = status;
        }
    }

    /** A 200 answer whose body is not what the request should return; {@code body} is kept for the dead letter. */
    public static final class BadBody extends ApiFailure {
        public final String body;

        BadBody(String message, String body) {
            super(message, 200);
            this.body = body;
        }
    }

    /**
     * A 500 whose body says {@code Invalid Parameter}: what the API answers a readings request
     * with a field the channel does not have. It is not retried; it will not change.
     */
    public static final class InvalidParameter extends ApiFailure {
        InvalidParameter(String message) {
            super(message, 500);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String apiKey;
    private final String basic;
    private final int attempts;
    private final long backoffMillis;
    private final Duration timeout;
    private final HttpClient http;
    private volatile String token;

    /** {@code attempts} per request with doubling back-off from {@code backoffMillis} on 429, 5xx and time-outs. */
    public EniscopeClient(EniscopeAccount.Login login, int attempts, long backoffMillis) {
        String base = login.baseUrl();
        this.baseUrl = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.apiKey = login.apiKey();
        this.basic = "Basic "
                + Base64.getEncoder()
                        .encodeToString((login.email() + ":" + md5(login.password())).getBytes(StandardCharsets.UTF_8));
        this.attempts = attempts;
        this.backoffMillis = backoffMillis;
        this.timeout = login.timeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout.compareTo(Duration.ofSeconds(10)) < 0 ? timeout : Duration.ofSeconds(10))
                .build();
    }

    static String md5(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record of a paged collection ({@code {"<name>": [...], "meta": {pageCount}}}), 100 a page. */
    public List<JsonNode> list(String path, String collection) throws ApiFailure, InterruptedException {
        List<JsonNode> out = new ArrayList<>();
        for (int page = 1; ; page++) {
            JsonNode body = get(path + (path.contains("?") ? "&" : "?") + "page=" + page + "&limit=100");
            JsonNode items = body.get(collection);
            if (items == null || !items.isArray()) {
                throw new BadBody("bad body from " + path + ": no '" + collection + "' array", body.toString());
            }
            items.forEach(out::add);
            int pages = body.path("meta").path("pageCount").asInt(1);
            if (page >= pages || items.isEmpty()) {
                return out;
            }
        }
    }

    /** Readings of a channel for {@code [from, to)} (epoch seconds) with repeated {@code fields[]}. */
    public JsonNode readings(String channelId, long from, long to, int res, List<String> fields)
            throws ApiFailure, InterruptedException {
        StringBuilder q = new StringBuilder("/readings/")
                .append(URLEncoder.encode(channelId, StandardCharsets.UTF_8))
                .append("?action=summarize&res=")
                .append(res)
                .append("&daterange[]=")
                .append(from)
                .append("&daterange[]=")
                .append(to);
        for (String f : fields) {
            q.append("&fields[]=").append(URLEncoder.encode(f, StandardCharsets.UTF_8));
        }
        return get(q.toString());
    }

    JsonNode get(String pathAndQuery) throws ApiFailure, InterruptedException {
        boolean relogged = false;
        long wait = backoffMillis;
        int status = 0;
        String problem = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery.replace("[]", "%5B%5D")))
                    .timeout(timeout)
                    .header("X-Eniscope-API", apiKey)
                    .header("Accept", "text/json")
                    .header("User-Agent", "meterflow");
            String t = token;
            if (t != null) {
                b.header("X-Eniscope-Token", t);
            } else {
                b.header("Authorization", basic);
            }
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                status = r.statusCode();
                r.headers().firstValue("X-Eniscope-Token").ifPresent(v -> token = v);
                if (status == 200) {
                    try {
                        return JSON.readTree(r.body());
                    } catch (IOException e) {
                        throw new BadBody("not JSON", r.body());
                    }
                }
                if ((status == 401 || status == 419) && !relogged) {
                    token = null; // the session expired: log in again with Basic, once
                    relogged = true;
                    attempt--;
                    continue;
                }
                if (status != 429 && status < 500) {
                    throw new ApiFailure("HTTP " + status + " from " + pathAndQuery, status);
                }
                if (status == 500
                        && r.body() != null
                        && r.body().toLowerCase(Locale.ROOT).contains("invalid parameter")) {
                    throw new InvalidParameter("HTTP 500 Invalid Parameter from " + pathAndQuery);
                }
                problem = "HTTP " + status;
            } catch (IOException e) {
                problem = e.getClass().getSimpleName() + ": " + e.getMessage();
                status = 0;
            }
            if (attempt < attempts) {
                Thread.sleep(wait);
                wait *= 2;
            }
        }
        throw new ApiFailure("gave up on " + pathAndQuery + " after " + attempts + " attempts: " + problem, status);
    }
}
