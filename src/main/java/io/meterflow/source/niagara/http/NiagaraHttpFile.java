package io.meterflow.source.niagara.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.meterflow.settings.ConfigException;
import io.meterflow.settings.YamlConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads {@code niagara-http.yaml}: stations polled over HTTP; passwords from environment variables.
 * A station without its own {@code cron} is polled on {@code defaultCron}.
 */
public final class NiagaraHttpFile {

    private NiagaraHttpFile() {}

    public static List<NiagaraStation> read(Path file, String defaultCron) {
        List<NiagaraStation> out = new ArrayList<>();
        JsonNode list = YamlConfig.read(file).path("stations");
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String key = file + ": stations[" + i + "]";
            String name = YamlConfig.required(key, s, "name");
            if (out.stream().anyMatch(other -> other.name().equals(name))) {
                throw new ConfigException(key + ".name: station '" + name + "' is listed twice");
            }
            YamlConfig.required(key, s, "timezone");
            List<NiagaraStation.PolledHistory> histories = new ArrayList<>();
            JsonNode hs = s.path("histories");
            for (int h = 0; h < hs.size(); h++) {
                JsonNode n = hs.get(h);
                histories.add(new NiagaraStation.PolledHistory(
                        YamlConfig.required(key + ".histories[" + h + "]", n, "id"),
                        YamlConfig.text(n, "csv_path", null)));
            }
            String passwordEnv = YamlConfig.text(s, "password_env", null);
            String user = YamlConfig.text(s, "user", null);
            String auth = YamlConfig.text(s, "auth", user == null || user.isEmpty() ? "none" : "basic");
            NiagaraStation.Auth mode;
            try {
                mode = NiagaraStation.Auth.valueOf(auth.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key + ".auth: expected basic, session or none, got " + auth);
            }
            if (mode != NiagaraStation.Auth.NONE && (user == null || user.isEmpty())) {
                throw new ConfigException(key + ".user: is required with auth " + auth);
            }
            NiagaraStation.Connection connection = new NiagaraStation.Connection(
                    YamlConfig.required(key, s, "base_url"),
                    user,
                    passwordEnv == null ? null : System.getenv(passwordEnv),
                    s.path("insecure_tls").asBoolean(false),
                    Duration.ofSeconds(YamlConfig.intBetween(key, s, "timeout_seconds", 60, 1, 3600)),
                    mode);
            out.add(new NiagaraStation(
                    name,
                    YamlConfig.cron(key, s, "cron", defaultCron),
                    YamlConfig.zone(key, s, "timezone", null),
                    connection,
                    YamlConfig.intBetween(key, s, "backfill_days", 7, 1, 3660),
                    histories));
        }
        return out;
    }
}
