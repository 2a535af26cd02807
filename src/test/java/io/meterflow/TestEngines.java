package io.meterflow;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.meterflow.config.EngineSettings;

/**
 * Engines for tests that use the engine's parts without Camel: folders under the test's own
 * directory, the shipped meter registry, no scheduled exports, and the given database.
 */
public final class TestEngines {

    private TestEngines() {
    }

    public static Meterflow start(Path dir, TestDatabases.Target db) {
        return start(dir, db, Map.of());
    }

    /** {@code overrides} replace the defaults (e.g. another meters file or pool sizes). */
    public static Meterflow start(Path dir, TestDatabases.Target db, Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put(EngineSettings.INBOX, dir.resolve("inbox").toString());
        props.put(EngineSettings.METERS_FILE, "config/meters.yaml");
        props.put(EngineSettings.EXPORTS_FILE, dir.resolve("none.yaml").toString());
        props.put(EngineSettings.EXPORT_DIR, dir.resolve("exports").toString());
        props.put(EngineSettings.DB_URL, db.url());
        props.put(EngineSettings.DB_USER, db.user());
        props.putAll(overrides);
        return Meterflow.start(EngineSettings.from(props::get));
    }
}
