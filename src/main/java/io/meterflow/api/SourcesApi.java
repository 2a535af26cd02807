package io.meterflow.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.meterflow.ingest.NiagaraHistories;
import io.meterflow.store.DeadLetters;

/** {@code GET /api/dead-letters}: messages the live sources could not use, newest first, with counters. */
public final class SourcesApi {

    private final DeadLetters deadLetters;
    private final NiagaraHistories niagara;

    public SourcesApi(DeadLetters deadLetters, NiagaraHistories niagara) {
        this.deadLetters = deadLetters;
        this.niagara = niagara;
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
        body.put("niagara_mqtt", niagara.counters());
        body.put("dead_letters", letters);
        return ApiResponse.json(200, body);
    }
}
