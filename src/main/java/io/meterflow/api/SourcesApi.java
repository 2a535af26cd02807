package io.meterflow.api;

import io.meterflow.source.eniscope.EniscopeAccount;
import io.meterflow.source.eniscope.EniscopeChannels;
import io.meterflow.source.eniscope.EniscopePoller;
import io.meterflow.source.eniscope.EniscopeReferences;
import io.meterflow.source.niagara.mqtt.FrameIngestor;
import io.meterflow.store.DeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live sources' state: {@code GET /api/dead-letters} (messages they could not use, newest
 * first, with counters) and {@code GET /api/sources/eniscope} (per account the organizations,
 * devices and channels discovery found, and each channel's watermark and last poll).
 */
public final class SourcesApi {

    private final DeadLetters deadLetters;
    private final FrameIngestor niagaraFrames;
    private final EniscopePoller eniscope;
    private final EniscopeChannels eniscopeChannels;
    private final EniscopeReferences eniscopeReferences;

    public SourcesApi(
            DeadLetters deadLetters,
            FrameIngestor niagaraFrames,
            EniscopePoller eniscope,
            EniscopeChannels eniscopeChannels,
            EniscopeReferences eniscopeReferences) {
        this.deadLetters = deadLetters;
        this.niagaraFrames = niagaraFrames;
        this.eniscope = eniscope;
        this.eniscopeChannels = eniscopeChannels;
        this.eniscopeReferences = eniscopeReferences;
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
        return ApiResponse.json(200, Map.of("accounts", accounts));
    }

    private static Map<String, Object> fields(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    public ApiResponse deadLetters(String limit) {
        int n = 100;
        if (limit != null && !limit.isBlank()) {
            try {
                n = Integer.parseInt(limit.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 1000) {
                throw ApiException.badRequest("INVALID_LIMIT", "limit must be a whole number from 1 to 1000");
            }
        }
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
