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
                        YamlConfig.text(n, "csv_path", null)));
            }
            int timeout = YamlConfig.intBetween(key, s, "timeout_seconds", 60, 1, 3600);
            String passwordEnv = YamlConfig.text(s, "password_env", null);
            out.add(new NiagaraHttpPoller.Station(name, YamlConfig.required(key, s, "base_url"), zone,
                    YamlConfig.text(s, "user", null),
                    passwordEnv == null ? null : System.getenv(passwordEnv), s.path("insecure_tls").asBoolean(false),
                    s.path("backfill_days").asInt(7), timeout, histories));
        }
        return out;
    }

}
