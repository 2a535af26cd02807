package io.meterflow.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import io.meterflow.ingest.NiagaraHttpPoller;

/** Reads {@code niagara-http.yaml}: stations polled over HTTP; passwords from environment variables. */
public final class NiagaraHttpFile {

    private NiagaraHttpFile() {
    }

    public static List<NiagaraHttpPoller.Station> read(Path file) {
        List<NiagaraHttpPoller.Station> out = new ArrayList<>();
        JsonNode list = YamlConfig.read(file).path("stations");
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String key = file + ": stations[" + i + "]";
            String name = YamlConfig.required(key, s, "name");
            ZoneId zone;
            try {
                zone = ZoneId.of(YamlConfig.required(key, s, "timezone"));
            } catch (DateTimeException e) {
                throw new ConfigException(key + ".timezone: not an IANA timezone: " + s.get("timezone").asText());
            }
            List<NiagaraHttpPoller.History> histories = new ArrayList<>();
            JsonNode hs = s.path("histories");
            for (int h = 0; h < hs.size(); h++) {
                JsonNode n = hs.get(h);
                histories.add(new NiagaraHttpPoller.History(YamlConfig.required(key + ".histories[" + h + "]", n, "id"),
                        n.hasNonNull("csv_path") ? n.get("csv_path").asText() : null));
            }
            int timeout = s.path("timeout_seconds").asInt(60);
            if (timeout < 1 || timeout > 3600) {
                throw new ConfigException(key + ".timeout_seconds: expected 1 to 3600, got " + s.path("timeout_seconds").asText());
            }
            String passwordEnv = s.hasNonNull("password_env") ? s.get("password_env").asText() : null;
            out.add(new NiagaraHttpPoller.Station(name, YamlConfig.required(key, s, "base_url"), zone,
                    s.hasNonNull("user") ? s.get("user").asText() : null,
                    passwordEnv == null ? null : System.getenv(passwordEnv), s.path("insecure_tls").asBoolean(false),
                    s.path("backfill_days").asInt(7), timeout, histories));
        }
        return out;
    }

}
