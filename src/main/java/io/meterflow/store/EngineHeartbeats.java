package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code engine} table: this engine registers at start, beats every {@link #BEAT} and leaves
 * on a clean stop. Any engine can tell whether the engine that owns a piece of work is alive: an
 * engine whose beat is older than {@link #STALE} is dead (it was killed, or its machine or
 * network went away), and so is a process of this host that no longer exists (found at once,
 * without waiting for the beat to go stale).
 */
public final class EngineHeartbeats implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EngineHeartbeats.class);

    /** How often an engine beats. */
    public static final Duration BEAT = Duration.ofSeconds(5);

    /** A beat older than this: the engine is dead. */
    public static final Duration STALE = Duration.ofSeconds(30);

    /** Rows of engines dead this long are deleted. */
    static final Duration FORGET = Duration.ofDays(1);

    /** One engine as the table shows it. */
    public record Engine(
            String name, String host, Instant startedAt, Instant beatAt, boolean alive, String mqttClientId) {}

    private final DataSource ds;
    private final EngineIdentity self;
    private final Clock clock;
    private ScheduledExecutorService beats;
    private volatile String mqttClientId;

    public EngineHeartbeats(DataSource ds, EngineIdentity self, Clock clock) {
        this.ds = ds;
        this.self = self;
        this.clock = clock;
    }

    public EngineIdentity self() {
        return self;
    }

    /** Registers this engine and beats from now on. */
    public synchronized void start() {
        beat();
        beats = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "engine-heartbeat");
            t.setDaemon(true);
            return t;
        });
        beats.scheduleWithFixedDelay(this::beatQuietly, BEAT.toMillis(), BEAT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Records that this engine is alive now (and forgets engines dead for a day). */
    public void beat() {
        Instant now = clock.instant();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(true);
            KeyedRows.save(
                    c,
                    "engine",
                    KeyedRows.columns("name", self.name()),
                    KeyedRows.columns("beat_at", Timestamp.from(now)),
                    KeyedRows.columns("host", self.host(), "started_at", Timestamp.from(now)));
            try (PreparedStatement forget = c.prepareStatement("DELETE FROM engine WHERE beat_at < ?")) {
                forget.setTimestamp(1, Timestamp.from(now.minus(FORGET)));
                forget.executeUpdate();
            }
        } catch (SQLException e) {
            throw new StoreException("cannot record the heartbeat of " + self.name(), e);
        }
    }

    private void beatQuietly() {
        try {
            beat();
        } catch (RuntimeException e) {
            LOG.warn("engine heartbeat failed: {}", StoreException.reason(e)); // the next beat tries again
        }
    }

    /** The engines of the table, newest start first. */
    public List<Engine> engines() {
        Instant now = clock.instant();
        return Sql.query(
                ds,
                "SELECT name, host, started_at, beat_at, mqtt_client_id FROM engine ORDER BY started_at DESC",
                1_000,
                rs -> {
                    String name = rs.getString(1);
                    Instant beat = Sql.instant(rs, "beat_at");
                    return new Engine(
                            name,
                            rs.getString(2),
                            Sql.instant(rs, "started_at"),
                            beat,
                            !gone(name, beat, now),
                            rs.getString(5));
                });
    }

    /**
     * True when the engine named {@code engine} no longer runs: a process of this host that does
     * not exist, or an engine whose last beat is older than {@link #STALE} (or that has none).
     * This engine is never gone; a null owner (work recorded before owners were) is.
     */
    public boolean gone(String engine) {
        if (engine == null) {
            return true;
        }
        if (engine.equals(self.name())) {
            return false;
        }
        List<Instant> beat =
                Sql.query(ds, "SELECT beat_at FROM engine WHERE name = ?", 1, rs -> Sql.instant(rs, "beat_at"), engine);
        return gone(engine, beat.isEmpty() ? null : beat.get(0), clock.instant());
    }

    private boolean gone(String engine, Instant beat, Instant now) {
        if (engine.equals(self.name())) {
            return false;
        }
        return self.seesGone(engine) || beat == null || beat.isBefore(now.minus(STALE));
    }

    /** A persistent MQTT session a dead engine held. */
    public record MqttSession(String engine, String clientId) {}

    /**
     * This engine holds the persistent MQTT session {@code clientId}: recorded in its row, and an
     * older row naming the same id (this engine's earlier process) lets go of it.
     */
    public void holdsMqttSession(String clientId) {
        Sql.update(
                ds,
                "UPDATE engine SET mqtt_client_id = NULL WHERE mqtt_client_id = ? AND name <> ?",
                clientId,
                self.name());
        Sql.update(ds, "UPDATE engine SET mqtt_client_id = ? WHERE name = ?", clientId, self.name());
        mqttClientId = clientId;
    }

    /**
     * The MQTT session of a dead engine, taken by this engine alone (no other engine gets the same
     * one); empty when there is none.
     */
    public Optional<MqttSession> takeOrphanedMqttSession() {
        List<MqttSession> held = Sql.query(
                ds,
                "SELECT name, mqtt_client_id FROM engine WHERE mqtt_client_id IS NOT NULL AND name <> ?",
                100,
                rs -> new MqttSession(rs.getString(1), rs.getString(2)),
                self.name());
        for (MqttSession session : held) {
            if (!session.clientId().equals(mqttClientId)
                    && gone(session.engine())
                    && Sql.update(
                                    ds,
                                    "UPDATE engine SET mqtt_client_id = NULL WHERE name = ? AND mqtt_client_id = ?",
                                    session.engine(),
                                    session.clientId())
                            == 1) {
                return Optional.of(session);
            }
        }
        return Optional.empty();
    }

    /**
     * A session taken but not emptied goes back to its engine's row, to be taken again; unless an
     * engine holds that client id again meanwhile (the dead engine restarted), which resumes it.
     */
    public void giveBack(MqttSession session) {
        Sql.update(
                ds,
                "UPDATE engine SET mqtt_client_id = ? WHERE name = ? AND mqtt_client_id IS NULL"
                        + " AND NOT EXISTS (SELECT 1 FROM engine e WHERE e.mqtt_client_id = ?)",
                session.clientId(),
                session.engine(),
                session.clientId());
    }

    /**
     * A clean stop: beats end and the engine leaves the table, unless it holds an MQTT session:
     * then its row stays, so that another engine takes the frames the broker queues for it.
     */
    @Override
    public synchronized void close() {
        if (beats == null) {
            return;
        }
        beats.shutdownNow();
        beats = null;
        if (mqttClientId != null) {
            return;
        }
        try (Connection c = ds.getConnection();
                PreparedStatement leave = c.prepareStatement("DELETE FROM engine WHERE name = ?")) {
            leave.setString(1, self.name());
            leave.executeUpdate();
        } catch (SQLException e) {
            LOG.warn("cannot remove this engine from the engine table: {}", e.toString());
        }
    }
}
