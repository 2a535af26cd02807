package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import io.meterflow.TestDatabases;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dead letters on H2 and PostgreSQL: a payload with NUL bytes (which PostgreSQL refuses in text)
 * is stored, a huge one is cut, and only the newest letters are kept.
 */
class DeadLettersTest {

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void nul_bytes_and_huge_payloads_are_stored_bounded_and_old_letters_go(TestDatabases.Target db) {
        try (HikariDataSource ds = Database.open(db.url(), db.user(), "", 2, 2_000, 5_000)) {
            DeadLetters letters = new DeadLetters(ds, 150);
            letters.record("niagara-mqtt", "topic\u0000x", "bad\u0000frame", "{\"a\":\u0000\"b\"}");
            DeadLetters.Letter nul = letters.latest(1).get(0);
            assertEquals("{\"a\":\u2400\"b\"}", nul.payload());
            assertEquals("bad\u2400frame", nul.reason());
            assertEquals("topic\u2400x", nul.origin());

            letters.record("niagara-mqtt", "t", "too big", "x".repeat(1_000_000));
            String cut = letters.latest(1).get(0).payload();
            assertTrue(
                    cut.startsWith("x".repeat(DeadLetters.MAX_PAYLOAD) + "…[cut: 1000000 characters"),
                    cut.substring(4090));
            assertTrue(cut.length() < DeadLetters.MAX_PAYLOAD + 100, "length " + cut.length());

            for (int i = 0; i < 248; i++) {
                letters.record("eniscope", "channel", "letter " + i, "{}");
            }
            // pruned every 100 letters to the newest 150: after 250 letters, 200 remain until the next prune
            assertEquals(200, letters.count());
            assertEquals(50, letters.prune());
            assertEquals(150, letters.count(), "only the newest are kept");
            List<DeadLetters.Letter> kept = letters.latest(150);
            assertEquals("letter 247", kept.get(0).reason());
            assertEquals("letter 98", kept.get(149).reason(), "the oldest kept");
        }
    }
}
