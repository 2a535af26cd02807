package io.meterflow.source.eniscope;

import com.fasterxml.jackson.databind.JsonNode;
import io.meterflow.settings.ConfigException;
import io.meterflow.settings.YamlConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code eniscope.yaml}: the accounts to poll. The API key and the password are read from
 * the environment variables the file names, never from the file itself. An account without its own
 * {@code cron} is polled on {@code defaultCron}.
 */
public final class EniscopeFile {

    private EniscopeFile() {}

    public static List<EniscopeAccount> read(Path file, String defaultCron) {
        List<EniscopeAccount> out = new ArrayList<>();
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
                throw new ConfigException(
                        key + ".resolution: expected 60, 900, 1800, 3600 or 86400, got " + resolution);
            }
            int timeout = YamlConfig.intBetween(key, a, "timeout_seconds", 60, 1, 3600);
            String name = YamlConfig.required(key, a, "name");
            if (out.stream().anyMatch(other -> other.name().equals(name))) {
                throw new ConfigException(key + ".name: account '" + name + "' is listed twice");
            }
            EniscopeAccount.Login login = new EniscopeAccount.Login(
                    YamlConfig.required(key, a, "base_url"),
                    env(key, a, "api_key_env"),
                    YamlConfig.required(key, a, "email"),
                    env(key, a, "password_env"),
                    Duration.ofSeconds(timeout));
            out.add(new EniscopeAccount(
                    name,
                    YamlConfig.cron(key, a, "cron", defaultCron),
                    login,
                    new EniscopeAccount.Scope(YamlConfig.text(a, "organization", null), channels),
                    new EniscopeAccount.Readings(
                            fields,
                            resolution,
                            YamlConfig.intBetween(key, a, "backfill_days", 7, 1, 3660),
                            YamlConfig.intBetween(key, a, "window_hours", 24, 1, 24 * 31),
                            YamlConfig.intBetween(key, a, "late_hours", 48, 0, 24 * 366))));
        }
        return out;
    }

    private static String env(String key, JsonNode n, String field) {
        String name = YamlConfig.required(key, n, field);
        String value = System.getenv(name);
        return value == null ? "" : value;
    }
}
