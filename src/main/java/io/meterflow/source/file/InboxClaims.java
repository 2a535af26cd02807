package io.meterflow.source.file;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which engine reads a file of the inbox: a file is claimed before it is read and released once
 * it has left the inbox (or is handed back to wait there). Engines sharing one inbox share one
 * set of claims (a table of the database), so that each file is read by one of them; an engine
 * alone on its database keeps them in memory.
 */
public interface InboxClaims {

    /**
     * Claims a file by its key; false when another engine holds it, or when the claim cannot be
     * recorded now (the file waits for a later scan).
     */
    boolean claim(String key);

    /** Releases a claim this engine holds. */
    void release(String key);

    /** Claims kept in this engine's memory: for an engine that watches its inbox alone. */
    static InboxClaims inMemory() {
        Set<String> held = ConcurrentHashMap.newKeySet();
        return new InboxClaims() {
            @Override
            public boolean claim(String key) {
                return held.add(key);
            }

            @Override
            public void release(String key) {
                held.remove(key);
            }
        };
    }
}
