package io.meterflow.api;

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
}
