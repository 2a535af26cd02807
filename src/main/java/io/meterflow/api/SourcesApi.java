package io.meterflow.api;

import io.meterflow.source.eniscope.EniscopeAccount;
import io.meterflow.source.eniscope.EniscopeChannels;
import io.meterflow.source.eniscope.EniscopePoller;
import io.meterflow.source.eniscope.EniscopeReferences;
import io.meterflow.source.niagara.http.NiagaraHttpPoller;
import io.meterflow.source.niagara.http.NiagaraHttpWatermarks;
import io.meterflow.source.niagara.http.NiagaraStation;
import io.meterflow.source.niagara.mqtt.FrameIngestor;
import io.meterflow.source.niagara.mqtt.MqttHistorySubscriber;
import io.meterflow.store.DeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live sources' state: {@code GET /api/dead-letters} (messages they could not use, newest
 * first, with counters), {@code GET /api/sources/eniscope} (per account the organizations,
 * devices and channels discovery found, and each channel's watermark and last poll) and
 * {@code GET /api/sources/niagara} (the MQTT subscription's connection and counters, the stations
 * polled over HTTP with each history's watermark).
 */
public final class SourcesApi {

    private final DeadLetters deadLetters;
    private final FrameIngestor niagaraFrames;
    private final EniscopePoller eniscope;
    private final EniscopeChannels eniscopeChannels;
    private final EniscopeReferences eniscopeReferences;
    private final MqttHistorySubscriber mqtt;
    private final NiagaraHttpPoller niagaraHttp;
    private final NiagaraHttpWatermarks niagaraWatermarks;
    private final boolean eniscopeEnabled;
    private final boolean niagaraHttpEnabled;

    /** The live sources; {@code mqtt} is null when the subscription is off. */
    public SourcesApi(
            DeadLetters deadLetters,
            FrameIngestor niagaraFrames,
            EniscopePoller eniscope,
            EniscopeChannels eniscopeChannels,
            EniscopeReferences eniscopeReferences,
            MqttHistorySubscriber mqtt,
            NiagaraHttpPoller niagaraHttp,
            NiagaraHttpWatermarks niagaraWatermarks,
            boolean eniscopeEnabled,
            boolean niagaraHttpEnabled) {
        this.deadLetters = deadLetters;
        this.niagaraFrames = niagaraFrames;
        this.eniscope = eniscope;
        this.eniscopeChannels = eniscopeChannels;
        this.eniscopeReferences = eniscopeReferences;
        this.mqtt = mqtt;
        this.niagaraHttp = niagaraHttp;
        this.niagaraWatermarks = niagaraWatermarks;
        this.eniscopeEnabled = eniscopeEnabled;
        this.niagaraHttpEnabled = niagaraHttpEnabled;
    }

    public ApiResponse niagara() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", mqtt != null);
        if (mqtt != null) {
            Instant since = mqtt.disconnectedSince();
            m.put("connected", since == null);
            m.put("disconnected_since", since == null ? null : since.toString());
            m.put("error", since == null ? null : mqtt.lastProblem());
        }
        m.put("counters", niagaraFrames.counters());
        List<Map<String, Object>> stations = new ArrayList<>();
        for (NiagaraStation s : niagaraHttp.stations()) {
            List<Map<String, Object>> histories = new ArrayList<>();
            for (NiagaraStation.PolledHistory h : s.histories()) {
                Long mark = niagaraWatermarks.get(s.name(), h.id());
                histories.add(fields(
                        "id",
                        h.id(),
                        "format",
                        h.csvPath() == null ? "obix" : "csv",
                        "watermark",
                        mark == null ? null : Instant.ofEpochMilli(mark).toString()));
            }
            stations.add(fields(
                    "name",
                    s.name(),
                    "base_url",
                    s.connection().baseUrl(),
                    "cron",
                    s.cron(),
                    "timezone",
                    s.zone().getId(),
                    "histories",
                    histories));
        }
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("enabled", niagaraHttpEnabled);
        http.put("stations", stations);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("mqtt", m);
        body.put("http", http);
        return ApiResponse.json(200, body);
    }

    public ApiResponse eniscope() {
        List<Map<String, Object>> accounts = new ArrayList<>();
        for (String name :
                eniscope.accounts().stream().map(EniscopeAccount::name).toList()) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", name);
            List<Map<String, Object>> orgs = new ArrayList<>();
            for (EniscopeReferences.Organization o : eniscopeReferences.organizations(name)) {
                orgs.add(fields("id", o.id(), "name", o.name(), "parent_id", o.parentId(), "timezone", o.timeZone()));
            }
            List<Map<String, Object>> devices = new ArrayList<>();
            for (EniscopeReferences.Device d : eniscopeReferences.devices(name)) {
                devices.add(fields(
                        "id",
                        d.id(),
                        "name",
                        d.name(),
                        "uuid",
                        d.uuid(),
                        "device_type_id",
                        d.typeId(),
                        "device_type_name",
                        d.typeName(),
                        "organization_id",
                        d.organizationId(),
                        "timezone",
                        d.timeZone(),
                        "status",
                        d.status(),
                        "registered",
                        d.registered(),
                        "expires",
                        d.expires()));
            }
            List<Map<String, Object>> channels = new ArrayList<>();
            for (EniscopeChannels.Channel c : eniscopeChannels.list(name)) {
                channels.add(fields(
                        "id",
                        c.id(),
                        "name",
                        c.name(),
                        "uuid",
                        c.uuid(),
                        "device_id",
                        c.deviceId(),
                        "organization_id",
                        c.organizationId(),
                        "meter",
                        c.meterId(),
                        "watermark",
                        c.watermark() == null
                                ? null
                                : Instant.ofEpochSecond(c.watermark()).toString(),
                        "last_poll",
                        c.lastPoll() == null ? null : c.lastPoll().toString(),
                        "last_error",
                        c.lastError()));
            }
            a.put("organizations", orgs);
            a.put("devices", devices);
            a.put("channels", channels);
            accounts.add(a);
        }
        return ApiResponse.json(200, Map.of("enabled", eniscopeEnabled, "accounts", accounts));
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    public ApiResponse deadLetters(String limit) {
        int n = Limits.parse(limit, 100, 1000);
        List<Map<String, Object>> letters = new ArrayList<>();
        for (DeadLetters.Letter l : deadLetters.latest(n)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", l.id());
            m.put("received_at", l.receivedAt().toString());
            m.put("source", l.source());
            m.put("origin", l.origin());
            m.put("reason", l.reason());
            m.put("payload", l.payload());
            letters.add(m);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total", deadLetters.count());
        body.put("niagara_mqtt", niagaraFrames.counters());
        body.put("dead_letters", letters);
        return ApiResponse.json(200, body);
    }
}
