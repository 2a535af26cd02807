package io.meterflow.store;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

/**
 * The {@code export_claim} table: a scheduled fire of a definition is run by one engine only.
 * Every engine on the database fires the same cron; each tries to insert (definition, fire time),
 * the primary key lets exactly one succeed, and the others skip that fire. Claims older than
 * {@link #KEEP} are pruned.
 */
public final class ExportClaims {

    static final Duration KEEP = Duration.ofDays(40);

    private final DataSource ds;
    private final String engine;

    public ExportClaims(DataSource ds) {
        this(ds, ManagementFactory.getRuntimeMXBean().getName()); // pid@host
    }

    public ExportClaims(DataSource ds, String engine) {
        this.ds = ds;
        this.engine = engine.length() <= 255 ? engine : engine.substring(0, 255);
    }

    /** True when this engine is the one to run {@code definition}'s fire at {@code fireTime}. */
    public boolean claim(String definition, Instant fireTime, Instant now) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement prune = c.prepareStatement("DELETE FROM export_claim WHERE definition = ? AND fire_time < ?")) {
                prune.setString(1, definition);
                prune.setLong(2, now.minus(KEEP).getEpochSecond());
                prune.executeUpdate();
            }
            try (PreparedStatement in = c.prepareStatement(
                    "INSERT INTO export_claim (definition, fire_time, engine, claimed_at) VALUES (?, ?, ?, ?)")) {
                in.setString(1, definition);
                in.setLong(2, fireTime.getEpochSecond());
                in.setString(3, engine);
                in.setTimestamp(4, Timestamp.from(now));
                in.executeUpdate();
                return true;
            } catch (SQLException e) {
                if (SqlStates.isUniqueViolation(e)) {
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot claim the fire of " + definition, e);
        }
    }
}
