package io.meterflow.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;

/** API keys: when any is configured every API call must carry one in {@code X-API-Key}. */
public final class ApiKeys {

    private final List<byte[]> keys;

    public ApiKeys(String commaSeparated) {
        this.keys = commaSeparated == null
                ? List.of()
                : Arrays.stream(commaSeparated.split(","))
                        .map(String::trim)
                        .filter(k -> !k.isEmpty())
                        .map(k -> k.getBytes(StandardCharsets.UTF_8))
                        .toList();
    }

    public boolean enabled() {
        return !keys.isEmpty();
    }

    /** @throws ApiException 401 when keys are configured and {@code presented} is none of them */
    public void check(String presented) {
        if (keys.isEmpty()) {
            return;
        }
        if (presented != null) {
            byte[] p = presented.getBytes(StandardCharsets.UTF_8);
            for (byte[] key : keys) {
                if (MessageDigest.isEqual(key, p)) {
                    return;
                }
            }
        }
        throw new ApiException(401, "UNAUTHORIZED", "a valid X-API-Key header is required");
    }
}
