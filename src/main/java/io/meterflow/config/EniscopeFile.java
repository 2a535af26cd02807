package io.meterflow.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.meterflow.ingest.EniscopePoller;

/**
 * Reads {@code eniscope.yaml}: the accounts to poll. The API key and the password are read from
 * the environment variables the file names, never from the file itself.
 */
public final class EniscopeFile {

    private EniscopeFile() {
    }

    public static List<EniscopePoller.Account> read(Path file) {
        List<EniscopePoller.Account> out = new ArrayList<>();
        JsonNode list = YamlConfig.read(file).path("accounts");
        for (int i = 0; i < list.size(); i++) {
            JsonNode a = list.get(i);
            String key = file + ": accounts[" + i + "]";
            List<String> channels = new ArrayList<>();
            a.path("channels").forEach(c -> channels.add(c.asText()));
            List<String> fields = new ArrayList<>();
            a.path("fields").forEach(f -> fields.add(f.asText()));
            if (fields.isEmpty()) {
                fields.addAll(List.of("E", "P", "V", "I", "PF"));
            }
            int resolution = a.path("resolution").asInt(900);
            if (!List.of(60, 900, 1800, 3600, 86400).contains(resolution)) {
                throw new ConfigException(key + ".resolution: expected 60, 900, 1800, 3600 or 86400, got " + resolution);
            }
            int timeout = YamlConfig.intBetween(key, a, "timeout_seconds", 60, 1, 3600);
            out.add(new EniscopePoller.Account(YamlConfig.required(key, a, "name"), YamlConfig.required(key, a, "base_url"),
                    env(key, a, "api_key_env"), YamlConfig.required(key, a, "email"), env(key, a, "password_env"),
                    YamlConfig.text(a, "organization", null), channels, fields, resolution,
                    a.path("backfill_days").asInt(7), a.path("window_hours").asInt(24), timeout));
        }
        return out;
    }


    private static String env(String key, JsonNode n, String field) {
        String name = YamlConfig.required(key, n, field);
        String value = System.getenv(name);
        return value == null ? "" : value;
    }
}
