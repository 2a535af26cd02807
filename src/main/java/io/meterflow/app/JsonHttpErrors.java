package io.meterflow.app;

import io.meterflow.api.ApiException;
import io.meterflow.api.ApiResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answers of the HTTP server itself, before any route runs (no route for the path, a method
 * the route does not take, a body over the size cap, a missing or wrong content type), in the
 * API's JSON error form {@code {"error": {code, message}}} instead of Vert.x's HTML or empty
 * bodies. The request line and header limits (414, 431) are enforced by the HTTP decoder before
 * the router and keep its empty answers.
 */
final class JsonHttpErrors implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(JsonHttpErrors.class);
    private final long maxBodyBytes;

    JsonHttpErrors(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {}

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Router router = mainRouter(context);
        if (router == null) {
            return; // no HTTP server (camel.server.enabled=false)
        }
        for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
            router.errorHandler(status, rc -> answer(rc, status));
        }
    }

    /**
     * The HTTP server's top router: Camel's platform-http routes live in a sub-router mounted on it,
     * and a request no route matches is answered by the top router's error handlers.
     */
    static Router mainRouter(CamelContext context) {
        int port = context.getPropertiesComponent()
                .resolveProperty("camel.server.port")
                .map(Integer::parseInt)
                .orElse(8080);
        VertxPlatformHttpRouter camelRouter =
                VertxPlatformHttpRouter.lookup(context, VertxPlatformHttpRouter.getRouterNameFromPort(port));
        if (camelRouter == null) {
            return null;
        }
        return camelRouter.getServer().getServer().requestHandler() instanceof Router main ? main : camelRouter;
    }

    private void answer(RoutingContext rc, int status) {
        if (status == 500) {
            LOG.warn("HTTP request failed before reaching a route: {}", String.valueOf(rc.failure()));
        }
        send(rc, answerFor(status, rc.request().method().name(), rc.normalizedPath(), rc.failure()));
    }

    /** Ends the exchange with {@code error} as the API's JSON error, unless an answer is under way. */
    static void send(RoutingContext rc, ApiException error) {
        if (rc.response().headWritten()) {
            return;
        }
        ApiResponse response = ApiResponse.error(error);
        rc.response()
                .setStatusCode(response.status())
                .putHeader("Content-Type", response.contentType())
                .end((String) response.body());
    }

    private ApiException answerFor(int status, String method, String path, Throwable failure) {
        String shown = path == null ? "" : path.length() > 200 ? path.substring(0, 200) + "…" : path;
        return switch (status) {
            case 404 -> new ApiException(404, "NOT_FOUND", "no endpoint at " + shown);
            case 405 -> new ApiException(405, "METHOD_NOT_ALLOWED", method + " is not allowed on " + shown);
            case 413 -> new ApiException(413, "BODY_TOO_LARGE", "the request body is over " + maxBodyBytes + " bytes");
            case 415 ->
                new ApiException(
                        415,
                        "UNSUPPORTED_MEDIA_TYPE",
                        "send the body as JSON with the header Content-Type: application/json");
            case 500 -> new ApiException(500, "INTERNAL_ERROR", "the request failed");
            default ->
                new ApiException(
                        400,
                        "BAD_REQUEST",
                        "the request is malformed" + (failure == null ? "" : ": " + failure.getMessage()));
        };
    }
}
