package io.meterflow;

import io.meterflow.app.Engine;
import io.meterflow.metrics.Metrics;
import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.Setting;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Engines for tests that use the engine's parts without Camel: folders under the test's own
 * directory, the shipped meter registry, no scheduled exports, and the given database.
 */
public final class TestEngines {

    private TestEngines() {}

    public static Engine start(Path dir, TestDatabases.Target db) {
        return start(dir, db, Map.of());
    }

    /** An engine without a meters file: meters are registered by the folders files come in. */
    public static Engine startWithoutMetersFile(Path dir, TestDatabases.Target db) {
        return start(
                dir,
                db,
                Map.of(Setting.METERS_FILE.key(), dir.resolve("none.yaml").toString()));
    }

    /** {@code overrides} replace the defaults (e.g. another meters file or pool sizes). */
    public static Engine start(Path dir, TestDatabases.Target db, Map<String, String> overrides) {
        return start(dir, db, overrides, Metrics.NONE);
    }

    /** As {@link #start(Path, TestDatabases.Target, Map)}, reporting to {@code metrics}. */
    public static Engine start(Path dir, TestDatabases.Target db, Map<String, String> overrides, Metrics metrics) {
        Map<String, String> props = new HashMap<>();
        props.put(Setting.INBOX.key(), dir.resolve("inbox").toString());
        props.put(Setting.METERS_FILE.key(), "config/meters.yaml");
        props.put(Setting.EXPORTS_FILE.key(), dir.resolve("none.yaml").toString());
        props.put(Setting.EXPORT_DIR.key(), dir.resolve("exports").toString());
        props.put(Setting.DB_URL.key(), db.url());
        props.put(Setting.DB_USER.key(), db.user());
        props.putAll(overrides);
        Engine engine = Engine.start(EngineSettings.from(props::get), metrics);
        engine.api().health().started(); // no routes to wait for
        return engine;
    }
}
