package io.meterflow.api;

import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Camel-aware piece of the API: turns an {@link ApiResponse} body, or the exception an
 * exchange failed with, into the HTTP response.
 */
public final class HttpResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(HttpResponder.class);

    @Override
    public void process(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        ApiResponse response;
        if (failure != null) {
            ApiException api = ApiException.of(failure);
            if (api.status() >= 500) {
                LOG.warn("request failed: {}", failure.toString());
            }
            response = ApiResponse.error(api);
        } else {
            response = exchange.getMessage().getBody(ApiResponse.class);
        }
        var message = exchange.getMessage();
        message.getHeaders().keySet().removeIf(h -> !h.startsWith("Camel"));
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        message.setHeader(Exchange.CONTENT_TYPE, response.contentType());
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            message.setHeader(h.getKey(), h.getValue());
        }
        message.setBody(response.body());
    }
}
