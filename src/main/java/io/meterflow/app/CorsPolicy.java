package io.meterflow.app;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.List;
import java.util.Set;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * CORS for the browser tools the old CSV server served: with {@code meterflow.api.cors-origins}
 * set, requests from those origins (or any, {@code *}) get the CORS headers and preflight
 * {@code OPTIONS} requests are answered, before the API key check (a browser sends no key with a
 * preflight); a request from another origin is served without CORS headers. Off when the setting
 * is empty: no CORS header at all.
 */
final class CorsPolicy implements StartupListener {

    private final List<String> origins;

    CorsPolicy(List<String> origins) {
        this.origins = List.copyOf(origins);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {}

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Router router = JsonHttpErrors.mainRouter(context);
        if (router == null || origins.isEmpty()) {
            return;
        }
        CorsHandler cors = CorsHandler.create();
        if (!origins.contains("*")) {
            cors.addOrigins(origins);
        }
        cors.allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.OPTIONS))
                .allowedHeaders(Set.of("Content-Type", ApiKeyGuard.HEADER))
                .exposedHeaders(Set.of("Content-Disposition", "Retry-After"))
                .maxAgeSeconds(600);
        boolean any = origins.contains("*");
        // another origin gets no CORS headers (its browser then refuses the answer) but is not refused
        // here: Vert.x would answer 403, and a script that sends an Origin header would break
        router.route().order(-2_000).handler(rc -> {
            String origin = rc.request().getHeader("Origin");
            if (origin == null || any || origins.contains(origin)) {
                cors.handle(rc);
            } else {
                rc.next();
            }
        });
    }
}
