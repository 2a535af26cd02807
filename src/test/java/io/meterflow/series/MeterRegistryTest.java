package io.meterflow.series;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MeterRegistryTest {

    private static final ZoneId ZONE = ZoneId.of("America/New_York");

    @Test
    void no_thread_sees_a_new_meter_before_the_listener_has_stored_it() throws Exception {
        MeterRegistry registry = new MeterRegistry(List.of(), ZONE, SignalKindRules.builtIn());
        Set<String> stored = ConcurrentHashMap.newKeySet();
        AtomicInteger calls = new AtomicInteger();
        registry.onRegistered(m -> {
            calls.incrementAndGet();
            sleep(200); // a slow insert: the others must wait for it
            stored.add(m.id());
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> seen = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            seen.add(pool.submit(() -> {
                go.await();
                Meter m = registry.findOrRegister("station-1");
                return stored.contains(m.id());
            }));
        }
        go.countDown();
        for (Future<Boolean> f : seen) {
            assertTrue(f.get(), "a thread got the meter before it was stored");
        }
        pool.shutdown();
        assertEquals(1, calls.get(), "stored once");
    }

    @Test
    void a_meter_whose_listener_fails_is_not_registered_and_the_next_call_tries_again() {
        MeterRegistry registry = new MeterRegistry(List.of(), ZONE, SignalKindRules.builtIn());
        AtomicBoolean databaseDown = new AtomicBoolean(true);
        registry.onRegistered(m -> {
            if (databaseDown.get()) {
                throw new IllegalStateException("database is read-only");
            }
        });
        assertThrows(IllegalStateException.class, () -> registry.findOrRegister("m1"));
        assertNull(registry.find("m1"));
        databaseDown.set(false);
        Meter m = registry.findOrRegister("m1");
        assertSame(m, registry.find("m1"));
        assertEquals(ZONE, m.zone());
    }

    @Test
    void a_configured_meter_wins_over_one_restored_from_an_earlier_run() {
        Meter configured = new Meter("m1", "S-", "Plant", null, null, ZoneId.of("Europe/Berlin"), Map.of(), 10);
        MeterRegistry registry = new MeterRegistry(List.of(configured), ZONE, SignalKindRules.builtIn());
        registry.restore(List.of(Meter.discovered("m1", ZONE), Meter.discovered("m2", ZONE)));
        assertSame(configured, registry.find("m1"));
        assertEquals(List.of("m1", "m2"), registry.all().stream().map(Meter::id).toList());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
