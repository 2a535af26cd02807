package io.meterflow.store;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the database takes writes, as the writers find out. A write that fails because the
 * database is unavailable (down, refusing connections, read-only, out of space) marks an outage;
 * the first one logs it once (the outage then shows the latest reason), a later successful write
 * ends it and logs that once. {@link #hold}
 * runs a piece of work until it succeeds, waiting with a growing pause while the database is
 * unavailable, so that nothing is rejected or acknowledged for the database's sake and nothing
 * is retried in a tight loop.
 */
public final class StoreAvailability {

    private static final Logger LOG = LoggerFactory.getLogger(StoreAvailability.class);
    private static final long FIRST_PAUSE_MILLIS = 500;
    private static final long MAX_PAUSE_MILLIS = 10_000;

    /** The current outage, or null while writes succeed. */
    public record Outage(Instant since, String reason) {}

    private final DataSource ds;
    private final Clock clock;
    private volatile Outage outage;
    private volatile boolean closed;

    public StoreAvailability(DataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
    }

    /** The outage in progress, or null. */
    public Outage outage() {
        return outage;
    }

    /** A write succeeded: an outage in progress is over. */
    public void succeeded() {
        Outage o = outage;
        if (o != null) {
            synchronized (this) {
                if (outage != null) {
                    LOG.info(
                            "database writable again after {} s",
                            Duration.between(outage.since(), clock.instant()).toSeconds());
                    outage = null;
                }
            }
        }
    }

    /**
     * A write failed; when it failed for the database's sake, an outage begins (logged once) and
     * an embedded database is opened afresh at the next connection.
     */
    public void failed(Throwable failure) {
        if (!StoreException.unavailable(failure)) {
            return;
        }
        String reason = StoreException.reason(failure);
        reopenEmbedded();
        synchronized (this) {
            if (outage == null) {
                outage = new Outage(clock.instant(), reason);
                LOG.warn("database unavailable ({}): writes wait until it answers", reason);
            } else if (!outage.reason().equals(reason)) {
                outage = new Outage(outage.since(), reason); // the latest reason, logged once at the start only
            }
        }
    }

    /**
     * Whether {@code failure} is the database being unavailable; if so, it is recorded as an outage
     * (logged once). Periodic work that meets an outage skips its round quietly.
     */
    public boolean absorbs(Throwable failure) {
        if (!StoreException.unavailable(failure)) {
            return false;
        }
        failed(failure);
        return true;
    }

    /**
     * Runs {@code work} until it completes; while it fails because the database is unavailable,
     * waits (0.5 s, doubling to 10 s) and runs it again. Other failures are thrown at once.
     *
     * @throws InterruptedException when the engine stops while waiting
     */
    public <T> T hold(Callable<T> work) throws Exception {
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            try {
                T result = work.call();
                succeeded();
                return result;
            } catch (Exception e) {
                boolean lostRace = e instanceof RetryableWriteException; // every attempt lost: later, calmer
                if ((!StoreException.unavailable(e) && !lostRace) || closed) {
                    throw e;
                }
                if (!lostRace) {
                    failed(e);
                }
                Thread.sleep(pause);
                pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
            }
        }
    }

    /**
     * An embedded H2 database whose write failed (a full disk) refuses everything after, with the
     * same error, for as long as any connection keeps it open: the pool's connections are closed
     * (those in use when they are returned) so that the next connection opens the file again and
     * finds the last commit on disk.
     */
    private void reopenEmbedded() {
        if (ds instanceof HikariDataSource pool
                && pool.getJdbcUrl() != null
                && pool.getJdbcUrl().startsWith("jdbc:h2:")
                && pool.getHikariPoolMXBean() != null) {
            pool.getHikariPoolMXBean().softEvictConnections();
        }
    }

    /** Whether the database answers a query now (within two seconds); for telling its faults from the data's. */
    public boolean answers() {
        try (Connection c = ds.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** The engine is stopping: work held for the database gives up. */
    public void close() {
        closed = true;
    }
}
