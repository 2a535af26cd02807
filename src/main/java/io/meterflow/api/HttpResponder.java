package io.meterflow.api;

import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.platform.http.vertx.HttpMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one Camel-aware piece of the API: turns an {@link ApiResponse} body, or the exception an
 * exchange failed with, into the HTTP response. A {@link FileBody} is sent by the HTTP server from
 * the file where the route kept the server's message ({@link #keepHttpMessage}), and as a stream
 * elsewhere.
 */
public final class HttpResponder implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(HttpResponder.class);

    /** Where {@link #keepHttpMessage} keeps the HTTP server's message. */
    private static final String HTTP_MESSAGE = "meterflowHttpMessage";

    /**
     * A route's step before a bean whose answer may be a {@link FileBody}: keeps the HTTP server's
     * message, which the bean's answer replaces, so that the file can be sent by the server itself.
     */
    public static void keepHttpMessage(Exchange exchange) {
        exchange.setProperty(HTTP_MESSAGE, exchange.getIn());
    }

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
        Object body = response.body();
        if (body instanceof FileBody file) {
            if (exchange.getProperty(HTTP_MESSAGE) instanceof HttpMessage http
                    && !http.getResponse().ended()) {
                sendFile(http.getResponse(), response, file);
                message.setBody(null);
                return;
            }
            body = open(file);
        }
        message.getHeaders().keySet().removeIf(h -> !h.startsWith("Camel"));
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, response.status());
        message.setHeader(Exchange.CONTENT_TYPE, response.contentType());
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            message.setHeader(h.getKey(), h.getValue());
        }
        message.setBody(body);
    }

    /**
     * Sends a file by the server's own file transfer (the kernel's, where it can), not through a
     * stream read a few kB at a time; the response is ended then, and the platform writes no other.
     */
    private static void sendFile(HttpServerResponse out, ApiResponse response, FileBody file) {
        out.setStatusCode(response.status());
        out.putHeader("Content-Type", response.contentType());
        for (Map.Entry<String, String> h : response.headers().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("Content-Length")) { // the server sets the file's own
                out.putHeader(h.getKey(), h.getValue());
            }
        }
        out.sendFile(file.path().toString()).onComplete(sent -> {
            if (sent.failed()) {
                LOG.debug("file not sent: {}", sent.cause().toString());
            }
            try {
                file.done();
            } catch (IOException e) {
                LOG.warn("temporary file {} not deleted: {}", file.path(), e.toString());
            }
        });
    }

    private static InputStream open(FileBody file) {
        try {
            return file.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
