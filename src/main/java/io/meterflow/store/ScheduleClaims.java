package io.meterflow.store;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.sql.DataSource;

/**
 * The {@code schedule_claim} table: a scheduled fire of a job (an export definition, a source
 * poll) is run by one engine only. Every engine on the database fires the same cron; each tries
 * to insert (job, fire time), the primary key lets exactly one succeed, and the others skip that
 * fire. Claims older than {@link #KEEP} are pruned.
 */
public final class ScheduleClaims {

    static final Duration KEEP = Duration.ofDays(40);

    private final DataSource ds;
    private final String engine;

    public ScheduleClaims(DataSource ds) {
        this(ds, ManagementFactory.getRuntimeMXBean().getName()); // pid@host
    }

    public ScheduleClaims(DataSource ds, String engine) {
        this.ds = ds;
        this.engine = engine.length() <= 255 ? engine : engine.substring(0, 255);
    }

    /**
     * For a Quartz route's filter: true when this engine runs {@code job}'s fire scheduled at
     * {@code scheduledFireTime} (the Quartz header); no fire time (a manual call): true.
     */
    public boolean claimed(String job, Date scheduledFireTime) {
        return scheduledFireTime == null || claim(job, scheduledFireTime.toInstant(), Instant.now());
    }

    /** True when this engine is the one to run {@code job}'s fire at {@code fireTime}. */
    public boolean claim(String job, Instant fireTime, Instant now) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement prune =
                    c.prepareStatement("DELETE FROM schedule_claim WHERE job = ? AND fire_time < ?")) {
                prune.setString(1, job);
                prune.setLong(2, now.minus(KEEP).getEpochSecond());
                prune.executeUpdate();
            }
            try (PreparedStatement in = c.prepareStatement(
                    "INSERT INTO schedule_claim (job, fire_time, engine, claimed_at) VALUES (?, ?, ?, ?)")) {
                in.setString(1, job);
                in.setLong(2, fireTime.getEpochSecond());
                in.setString(3, engine);
                in.setTimestamp(4, Timestamp.from(now));
                in.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (Sql.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot claim the fire of " + job, e);
        }
    }
}
