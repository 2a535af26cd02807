package io.meterflow.source.niagara.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.app.Engine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import org.awaitility.Awaitility;

/** What a running engine has stored, read straight from its database: counts, sums, waiting for arrivals. */
final class StoredSamples {

    private final Engine engine;

    StoredSamples(Engine engine) {
        this.engine = engine;
    }

    long query(String sql, Object... args) throws Exception {
        try (Connection c = engine.store().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    long count(String meter, String signal) throws Exception {
        return query(
                "SELECT COALESCE(SUM(b.sample_count), 0) FROM sample_block b JOIN series s ON s.id = b.series_id"
                        + " WHERE s.meter_id = ? AND s.signal = ?",
                meter,
                signal);
    }

    double sum(String meter, String signal) throws Exception {
        long id = query("SELECT id FROM series WHERE meter_id = ? AND signal = ?", meter, signal);
        return engine.store().samples(id, 0, Long.MAX_VALUE).stream()
                .mapToDouble(s -> s.value())
                .sum();
    }

    /** Waits up to 60 s for {@code expected} samples, then checks that no more arrive (a duplicate or a stray). */
    void await(String meter, String signal, long expected) throws Exception {
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    long n = count(meter, signal);
                    assertTrue(n >= expected, meter + "/" + signal + ": " + n + " of " + expected + " samples");
                });
        // and no more arrive: exactly the published samples, none twice
        Awaitility.await()
                .during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertEquals(expected, count(meter, signal), "exactly the published samples"));
    }
}
