package io.meterflow.app;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * Swagger UI at {@code /docs}, served from the {@code org.webjars:swagger-ui} jar, on the API's
 * document {@code /api-doc}. Its static files need no API key; the page's own initializer
 * ({@code api/swagger-initializer.js}) asks for the key when {@code /api-doc} answers 401 and
 * sends it as the {@code X-API-Key} header with every request, the document's included.
 */
final class SwaggerUi implements StartupListener {

    static final String PATH = "/docs";

    /** Whether {@code path} is one of the UI's static files. */
    static boolean serves(String path) {
        return path != null && (path.equals(PATH) || path.startsWith(PATH + "/"));
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {}

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Router router = JsonHttpErrors.mainRouter(context);
        if (router == null) {
            return;
        }
        String initializer = resource("api/swagger-initializer.js");
        router.get(PATH).order(-500).handler(rc -> {
            if (rc.request().path().equals(PATH)) {
                rc.redirect(PATH + "/");
            } else {
                rc.next(); // Vert.x matches /docs/ here too: the static files answer it (index.html)
            }
        });
        router.get(PATH + "/swagger-initializer.js").order(-500).handler(rc -> rc.response()
                .putHeader("Content-Type", "text/javascript; charset=utf-8")
                .putHeader("Cache-Control", "no-cache")
                .end(initializer));
        router.get(PATH + "/*")
                .order(-499)
                .handler(StaticHandler.create("META-INF/resources/webjars/swagger-ui/" + webjarVersion())
                        .setCachingEnabled(true));
    }

    /** The version of the Swagger UI WebJar on the class path (its files live under it). */
    private static String webjarVersion() {
        Properties p = new Properties();
        try (InputStream in = SwaggerUi.class
                .getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("the swagger-ui WebJar is not on the class path");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.getProperty("version");
    }

    private static String resource(String name) {
        try (InputStream in = SwaggerUi.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
