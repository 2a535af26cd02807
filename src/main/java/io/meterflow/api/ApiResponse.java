package io.meterflow.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/** What an HTTP handler answers: status, content type, body (String, InputStream or ByteBuffer) and extra headers. */
public record ApiResponse(int status, String contentType, Object body, Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiResponse json(int status, Object value) {
        try {
            return new ApiResponse(status, "application/json", JSON.writeValueAsString(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JSON error body {@code {"error": {"code", "message", "details"}}}. */
    public static ApiResponse error(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", e.code());
        error.put("message", e.getMessage());
        if (e.details() != null) {
            error.put("details", e.details());
        }
        ApiResponse r = json(e.status(), Map.of("error", error));
        return e.status() == 429 ? new ApiResponse(429, r.contentType(), r.body(), Map.of("Retry-After", "5")) : r;
    }

    static Map<String, Object> parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("INVALID_BODY", "a JSON object body is required");
        }
        try {
            Object value = JSON.readValue(body, Object.class);
            if (value instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> m = (Map<String, Object>) map;
                return m;
            }
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("INVALID_BODY", "the body is not valid JSON: " + e.getOriginalMessage());
        }
        throw ApiException.badRequest("INVALID_BODY", "the body must be a JSON object");
    }
}
