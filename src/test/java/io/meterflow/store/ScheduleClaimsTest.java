package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Claims of scheduled fires in a real database: one engine per (job, fire time). */
class ScheduleClaimsTest {

    static final Instant FIRE = Instant.now().truncatedTo(ChronoUnit.HOURS);

    @TempDir
    Path dir;

    private Engine engine;

    @BeforeEach
    void start() {
        engine = TestEngines.start(dir, TestDatabases.h2());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void a_fire_is_claimed_once_per_job_and_old_claims_are_pruned() {
        ScheduleClaims a = new ScheduleClaims(engine.store().dataSource(), "engine-a");
        ScheduleClaims b = new ScheduleClaims(engine.store().dataSource(), "engine-b");
        assertTrue(a.claim("eniscope", FIRE, FIRE));
        assertFalse(b.claim("eniscope", FIRE, FIRE), "taken by engine-a");
        assertFalse(a.claim("eniscope", FIRE, FIRE), "and not run twice by the same engine either");
        assertTrue(b.claim("niagara-http", FIRE, FIRE), "another job");
        assertTrue(b.claim("eniscope", FIRE.plusSeconds(3600), FIRE), "the next fire");
        assertTrue(a.claimed("eniscope", null), "no Quartz fire time: a manual call, always runs");
        assertFalse(b.claimed("eniscope", Date.from(FIRE)));
        // 41 days later the old claims are gone, and the table does not grow without end
        Instant later = FIRE.plus(ScheduleClaims.KEEP).plus(Duration.ofDays(1));
        assertTrue(b.claim("eniscope", later, later));
        assertTrue(b.claim("eniscope", FIRE, later), "the pruned claim could be taken again");
    }
}
