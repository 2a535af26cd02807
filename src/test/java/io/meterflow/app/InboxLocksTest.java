package io.meterflow.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.meterflow.TestDatabases;
import io.meterflow.store.Database;
import io.meterflow.store.Sql;
import io.meterflow.store.StoreAvailability;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The read locks of a shared inbox in table inbox_lock, as two engines use them on one database:
 * a lock held and renewed stays with its engine; one no longer renewed (its engine died) is
 * taken over after its maximum age; a released lock can be taken at once.
 */
class InboxLocksTest {

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void a_lock_stays_with_a_live_engine_and_passes_on_when_it_is_no_longer_renewed(TestDatabases.Target db)
            throws Exception {
        try (HikariDataSource ds = Database.open(db.url(), db.user(), "", 4, 2_000, 10_000);
                CamelContext a = new DefaultCamelContext();
                CamelContext b = new DefaultCamelContext()) {
            a.start();
            b.start();
            StoreAvailability availability = new StoreAvailability(ds, Clock.systemUTC());
            InboxLocks engineA = new InboxLocks(ds, availability, a, 2_000);
            InboxLocks engineB = new InboxLocks(ds, availability, b, 2_000);
            engineA.start();
            engineB.start();

            assertTrue(engineA.add("meter/held.csv"));
            assertFalse(engineB.add("meter/held.csv"), "held by engine A");
            Thread.sleep(3_000); // past the maximum age: engine A renewed it meanwhile
            assertFalse(engineB.add("meter/held.csv"), "still renewed by engine A");

            assertTrue(engineA.add("meter/released.csv"));
            engineA.remove("meter/released.csv");
            assertTrue(engineB.add("meter/released.csv"), "released: free at once");

            engineA.shutdown(); // engine A dies: its locks are no longer renewed
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(6))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> engineB.add("meter/held.csv"));
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(waited >= 1_000, "taken over only once older than the maximum age: " + waited + " ms");
            assertEquals(
                    2,
                    Sql.queryLong(ds, "SELECT COUNT(*) FROM inbox_lock WHERE processorName = 'inbox'"),
                    "both files now locked by engine B");
            engineB.shutdown();
        }
    }
}
