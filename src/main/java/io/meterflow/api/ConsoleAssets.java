package io.meterflow.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.camel.Header;

/**
 * The web console's files, served from the jar: {@code GET /} is {@code console/index.html},
 * {@code GET /console/<path>} the file {@code console/<path>} of the classpath, and
 * {@code /console/vendor/uplot/<file>} the {@code dist/} files of the uPlot WebJar. Files are read
 * once and kept; each answer carries an ETag (and no freshness, so browsers ask again each time),
 * and a request naming the current one gets a 304.
 * A path that is not plain ({@code ..}, empty or hidden segments, other characters) or names no
 * file is a 404. The files hold no data, so they are served without an API key; the console asks
 * for the key and sends it with each API call.
 */
public final class ConsoleAssets {

    private static final Pattern PLAIN =
            Pattern.compile("([A-Za-z0-9_-][A-Za-z0-9._-]*/)*[A-Za-z0-9_-][A-Za-z0-9._-]*");
    private static final String PREFIX = "/console/";
    private static final String UPLOT = "vendor/uplot/";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "json", "application/json");
    /** Scripts, styles and API calls only from the engine itself; no frames, no plugins. */
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none';"
            + " frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    private record Asset(byte[] bytes, String etag, String type) {}

    private final String uplotDist;
    private final Map<String, Asset> cache = new ConcurrentHashMap<>();

    public ConsoleAssets() {
        this.uplotDist = "META-INF/resources/webjars/uplot/" + webjarVersion("uplot") + "/dist/";
    }

    /** The file for a request to {@code uri} (path and query as requested); 304 when {@code ifNoneMatch} is its ETag. */
    public ApiResponse asset(@Header("CamelHttpUri") String uri, @Header("If-None-Match") String ifNoneMatch) {
        String path = uri == null ? "/" : uri;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        String resource;
        if (path.equals("/")) {
            resource = "console/index.html";
        } else if (path.startsWith(PREFIX)
                && PLAIN.matcher(path.substring(PREFIX.length())).matches()) {
            String relative = path.substring(PREFIX.length());
            resource =
                    relative.startsWith(UPLOT) ? uplotDist + relative.substring(UPLOT.length()) : "console/" + relative;
        } else {
            throw notFound(path);
        }
        Asset asset = cache.get(resource);
        if (asset == null) {
            asset = load(resource);
            if (asset == null) {
                throw notFound(path); // not remembered: unknown paths must not fill the cache
            }
            cache.put(resource, asset);
        }
        Map<String, String> headers = Map.of(
                "ETag",
                asset.etag(),
                "X-Content-Type-Options",
                "nosniff",
                "Content-Security-Policy",
                POLICY,
                "Referrer-Policy",
                "no-referrer");
        if (asset.etag().equals(ifNoneMatch)) {
            return new ApiResponse(304, asset.type(), "", headers);
        }
        return new ApiResponse(200, asset.type(), new ByteArrayInputStream(asset.bytes()), headers);
    }

    private static ApiException notFound(String path) {
        String shown = path.length() > 200 ? path.substring(0, 200) + "…" : path;
        return new ApiException(404, "NOT_FOUND", "no console file at " + shown);
    }

    /** A classpath file with its ETag; null when there is none. */
    private static Asset load(String resource) {
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            String etag = '"'
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                            .substring(0, 16)
                    + '"';
            String ext = resource.substring(resource.lastIndexOf('.') + 1);
            return new Asset(bytes, etag, TYPES.getOrDefault(ext, "application/octet-stream"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The version of an npm WebJar on the classpath, from its Maven properties. */
    private static String webjarVersion(String name) {
        String file = "META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        try (InputStream in = ConsoleAssets.class.getClassLoader().getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("the " + name + " WebJar is not on the classpath (" + file + ")");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
