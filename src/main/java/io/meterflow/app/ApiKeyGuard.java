package io.meterflow.app;

import io.meterflow.api.ApiException;
import io.meterflow.api.ApiKeys;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;

/**
 * The API key check, first on every HTTP request but {@code GET /health}, the web console's files
 * ({@code GET /} and {@code GET /console/...}, which hold no data: the console asks for the key and
 * sends it with each API call) and the static files of Swagger UI ({@code /docs}, which asks for
 * the key itself): the API, its OpenAPI document and unknown paths alike. The key is read from the real {@code X-API-Key} request header
 * only (Camel would also take it from a query parameter of that name); a key in the URL is refused,
 * as URLs end up in access logs and browser history.
 */
final class ApiKeyGuard implements StartupListener {

    static final String HEADER = "X-API-Key";

    private final ApiKeys keys;

    ApiKeyGuard(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {}

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        Router router = JsonHttpErrors.mainRouter(context);
        if (router != null) {
            router.route().order(-1_000).handler(this::check);
        }
    }

    /** The console's page and files: served to anyone, as the page must load before it can ask for the key. */
    static boolean consoleFile(String path) {
        return "/".equals(path) || (path != null && path.startsWith("/console/"));
    }

    private void check(RoutingContext rc) {
        String path = rc.normalizedPath();
        if ("/health".equals(path)
                || (consoleFile(path) && rc.request().method() == HttpMethod.GET)
                || SwaggerUi.serves(path)) {
            rc.next();
            return;
        }
        boolean inQuery;
        try {
            inQuery = rc.queryParams().names().stream().anyMatch(HEADER::equalsIgnoreCase);
        } catch (IllegalArgumentException e) {
            JsonHttpErrors.send(rc, ApiException.badRequest("BAD_REQUEST", "the query string is malformed"));
            return;
        }
        if (inQuery) {
            JsonHttpErrors.send(
                    rc,
                    ApiException.badRequest(
                            "API_KEY_IN_URL",
                            "send the API key in the " + HEADER + " header, never in the URL"
                                    + " (URLs are kept in logs and browser history)"));
            return;
        }
        try {
            keys.check(rc.request().getHeader(HEADER));
        } catch (ApiException e) {
            JsonHttpErrors.send(rc, e);
            return;
        }
        rc.next();
    }
}
