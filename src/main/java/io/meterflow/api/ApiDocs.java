package io.meterflow.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * {@code GET /api-doc}: the OpenAPI 3.1 document of the API, written by hand in
 * {@code api/openapi.yaml} (every endpoint with its request and response schemas and examples) and
 * served as JSON. A test checks it against the REST routes and validates real answers with it.
 */
public final class ApiDocs {

    public static final String RESOURCE = "api/openapi.yaml";

    private final String json;

    public ApiDocs() {
        this.json = read().toString();
    }

    /** The document as a tree. */
    public static JsonNode read() {
        try (InputStream in = ApiDocs.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the class path");
            }
            return new YAMLMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ApiResponse document() {
        return new ApiResponse(200, "application/json", json, Map.of());
    }
}
