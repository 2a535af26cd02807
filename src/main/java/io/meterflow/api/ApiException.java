package io.meterflow.api;

import io.meterflow.export.ExportException;

/** A request that cannot be served; becomes {@code {"error": {code, message, details}}} with its status. */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final String details;

    public ApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public ApiException(int status, String code, String message, String details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String details() {
        return details;
    }

    public static ApiException badRequest(String code, String message) {
        return new ApiException(400, code, message);
    }

    /**
     * The HTTP form of any failure of a handler: an API exception as it is, an export problem with
     * the status of its kind (400, 404, 429), anything else a 500 {@code INTERNAL_ERROR}.
     */
    public static ApiException of(Throwable failure) {
        if (failure instanceof ApiException a) {
            return a;
        }
        if (failure instanceof ExportException e) {
            int status =
                    switch (e.kind()) {
                        case INVALID -> 400;
                        case NOT_FOUND -> 404;
                        case CONFLICT -> 409;
                        case BUSY -> 429;
                    };
            return new ApiException(status, e.code(), e.getMessage(), e.details());
        }
        return new ApiException(500, "INTERNAL_ERROR", "the request failed: " + failure.getMessage());
    }
}
