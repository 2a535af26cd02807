package io.meterflow.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** Reading the YAML files of {@code config/}: absent or empty files are empty; problems name the key. */
final class YamlConfig {

    private YamlConfig() {
    }

    /** The document, or a missing node (every {@code path(...)} of it is empty) when the file is absent or empty. */
    static JsonNode read(Path file) {
        if (!Files.exists(file)) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            return root == null || root.isNull() ? MissingNode.getInstance() : root;
        } catch (IOException e) {
            throw new ConfigException(file + ": not valid YAML: " + e.getMessage());
        }
    }

    /** The non-blank text of {@code field}; else a ConfigException naming {@code key.field}. */
    static String required(String key, JsonNode n, String field) {
        if (!n.hasNonNull(field) || n.get(field).asText().isBlank()) {
            throw new ConfigException(key + "." + field + ": is required");
        }
        return n.get(field).asText();
    }

    /** The whole number in {@code field} ({@code fallback} when absent) within [min, max]; else a ConfigException naming it. */
    static int intBetween(String key, JsonNode n, String field, int fallback, int min, int max) {
        int v = n.path(field).asInt(fallback);
        if (v < min || v > max) {
            throw new ConfigException(key + "." + field + ": expected " + min + " to " + max + ", got " + n.path(field).asText());
        }
        return v;
    }

    static String text(JsonNode n, String field, String fallback) {
        return n.hasNonNull(field) ? n.get(field).asText() : fallback;
    }
}
