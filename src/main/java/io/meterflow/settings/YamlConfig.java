package io.meterflow.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import org.quartz.CronExpression;

/**
 * Reading the YAML files of {@code config/}: absent or empty files are empty; every problem is a
 * {@link ConfigException} naming the key ({@code config/x.yaml: items[2].field: ...}).
 */
public final class YamlConfig {

    private YamlConfig() {}

    /** The document, or a missing node (every {@code path(...)} of it is empty) when the file is absent or empty. */
    public static JsonNode read(Path file) {
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
    public static String required(String key, JsonNode n, String field) {
        if (!n.hasNonNull(field) || n.get(field).asText().isBlank()) {
            throw new ConfigException(key + "." + field + ": is required");
        }
        return n.get(field).asText();
    }

    /**
     * The whole number in {@code field} ({@code fallback} when absent) within [min, max]; else a
     * ConfigException naming it.
     */
    public static int intBetween(String key, JsonNode n, String field, int fallback, int min, int max) {
        int v = n.path(field).asInt(fallback);
        if (v < min || v > max || (n.hasNonNull(field) && !n.get(field).canConvertToInt())) {
            throw new ConfigException(key + "." + field + ": expected " + min + " to " + max + ", got "
                    + n.path(field).asText());
        }
        return v;
    }

    /** The text of {@code field}, or {@code fallback} when it is absent. */
    public static String text(JsonNode n, String field, String fallback) {
        return n.hasNonNull(field) ? n.get(field).asText() : fallback;
    }

    /** The IANA timezone in {@code field}, or {@code fallback} when it is absent. */
    public static ZoneId zone(String key, JsonNode n, String field, ZoneId fallback) {
        if (!n.hasNonNull(field)) {
            return fallback;
        }
        try {
            return ZoneId.of(n.get(field).asText());
        } catch (DateTimeException e) {
            throw new ConfigException(key + "." + field + ": not an IANA timezone: "
                    + n.get(field).asText());
        }
    }

    /** The Quartz cron expression in {@code field}, or {@code fallback} when it is absent. */
    public static String cron(String key, JsonNode n, String field, String fallback) {
        String cron = text(n, field, fallback);
        if (!CronExpression.isValidExpression(cron)) {
            throw new ConfigException(key + "." + field + ": not a Quartz cron expression: " + cron);
        }
        return cron;
    }
}
