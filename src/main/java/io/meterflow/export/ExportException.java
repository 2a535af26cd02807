package io.meterflow.export;

/**
 * An export that cannot be made as asked, with a stable code ({@code METER_NOT_FOUND},
 * {@code RANGE_TOO_LARGE}, ...) and the {@link Kind} of problem; callers that speak a protocol
 * (the HTTP API) map the kind to their own status.
 */
public class ExportException extends RuntimeException {

    /**
     * What kind of problem: the request is wrong, names something unknown, conflicts with the
     * state of what it names (a disabled definition), or the engine is busy.
     */
    public enum Kind {
        INVALID,
        NOT_FOUND,
        CONFLICT,
        BUSY
    }

    private final Kind kind;
    private final String code;
    private final String details;

    public ExportException(Kind kind, String code, String message, String details) {
        super(message);
        this.kind = kind;
        this.code = code;
        this.details = details;
    }

    public static ExportException invalid(String code, String message) {
        return new ExportException(Kind.INVALID, code, message, null);
    }

    public static ExportException notFound(String code, String message, String details) {
        return new ExportException(Kind.NOT_FOUND, code, message, details);
    }

    public static ExportException conflict(String code, String message) {
        return new ExportException(Kind.CONFLICT, code, message, null);
    }

    public static ExportException busy(String code, String message) {
        return new ExportException(Kind.BUSY, code, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public String code() {
        return code;
    }

    public String details() {
        return details;
    }
}
