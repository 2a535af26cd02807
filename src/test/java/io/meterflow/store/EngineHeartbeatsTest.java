package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The engine table on a real database: who is alive, who is gone, and how fast it is noticed. */
class EngineHeartbeatsTest {

    @TempDir
    Path dir;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    private static Map<String, Boolean> alive(EngineHeartbeats view) {
        return view.engines().stream()
                .collect(Collectors.toMap(EngineHeartbeats.Engine::name, EngineHeartbeats.Engine::alive));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void engines_are_alive_while_they_beat_and_gone_when_silent_for_30_s_or_their_process_is(TestDatabases.Target db) {
        try (Engine engine = TestEngines.start(dir, db)) {
            var ds = engine.dataSource();
            EngineHeartbeats self = engine.heartbeats();
            String host = self.self().host();
            EngineHeartbeats other = new EngineHeartbeats(ds, new EngineIdentity("41@other-host"), Clock.systemUTC());
            other.beat();
            EngineHeartbeats silent = new EngineHeartbeats(
                    ds,
                    new EngineIdentity("42@other-host"),
                    Clock.offset(
                            Clock.systemUTC(),
                            EngineHeartbeats.STALE.plusSeconds(1).negated()));
            silent.beat();
            EngineHeartbeats killed =
                    new EngineHeartbeats(ds, new EngineIdentity(Integer.MAX_VALUE + "@" + host), Clock.systemUTC());
            killed.beat(); // a fresh beat, but no such process on this host

            assertEquals(
                    Map.of(
                            self.self().name(),
                            true,
                            "41@other-host",
                            true,
                            "42@other-host",
                            false,
                            Integer.MAX_VALUE + "@" + host,
                            false),
                    alive(self));
            assertFalse(self.gone(self.self().name()));
            assertFalse(self.gone("41@other-host"));
            assertTrue(self.gone("42@other-host"), "silent for over 30 s");
            assertTrue(self.gone(Integer.MAX_VALUE + "@" + host), "its process is gone: known at once");
            assertTrue(self.gone("43@never-seen"));
            assertTrue(self.gone(null), "work without an owner belongs to nobody alive");

            other.start();
            other.close(); // a clean stop leaves the table
            assertTrue(self.gone("41@other-host"));
            assertFalse(alive(self).containsKey("41@other-host"));
        }
    }
}
