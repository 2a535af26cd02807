package io.meterflow.app;

import io.meterflow.source.file.InboxClaims;
import io.meterflow.store.StoreAvailability;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.camel.CamelContext;
import org.apache.camel.processor.idempotent.jdbc.JdbcOrphanLockAwareIdempotentRepository;

/**
 * The claims on the files of the inbox in table {@code inbox_lock}, so that several engines can
 * watch one shared inbox and each file is ingested by one of them (camel-sql's orphan-aware
 * repository keeps the rows and renews them).
 * A lock is renewed by its engine every sixth of its maximum age while the file is ingested; the
 * lock of an engine that died is no longer renewed and, once older than the maximum age, another
 * engine takes the file.
 *
 * <p>While the database is unavailable (its outage is reported once by the writers), a file
 * cannot be locked and waits in the inbox, and a lock that cannot be released is released again
 * every second until the database answers: it is neither lost (the file would stay locked by a
 * live engine) nor a failure of the inbox scan.
 */
final class InboxLocks extends JdbcOrphanLockAwareIdempotentRepository implements InboxClaims {

    static final String NAME = "inbox";

    private final ScheduledExecutorService releases = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "inbox-lock-release");
        t.setDaemon(true);
        return t;
    });

    private final StoreAvailability availability;

    InboxLocks(DataSource ds, StoreAvailability availability, CamelContext context, long maxAgeMillis) {
        super(ds, NAME, context);
        this.availability = availability;
        setTableName("inbox_lock");
        setCreateTableIfNotExists(false); // a Flyway migration made it
        setLockMaxAgeMillis(maxAgeMillis);
        setLockKeepAliveIntervalMillis(Math.max(1, maxAgeMillis / 6));
    }

    /**
     * Locks a file; false (the file waits) when another engine holds it or the database is
     * unavailable, which is reported to the store's availability like any failed write.
     */
    @Override
    public boolean add(String key) {
        try {
            boolean locked = super.add(key);
            if (locked) {
                availability.succeeded(); // the lock was written
            }
            return locked;
        } catch (RuntimeException e) {
            availability.failed(e);
            return false;
        }
    }

    @Override
    public boolean claim(String key) {
        return add(key);
    }

    @Override
    public void release(String key) {
        remove(key);
    }

    /** Releases a lock; while the database is unavailable, tries again every second. */
    @Override
    public boolean remove(String key) {
        try {
            return super.remove(key);
        } catch (RuntimeException unavailable) {
            if (!releases.isShutdown()) {
                releases.schedule(() -> remove(key), 1, TimeUnit.SECONDS);
            }
            return true;
        }
    }

    @Override
    protected void doShutdown() throws Exception {
        releases.shutdownNow();
        super.doShutdown();
    }
}
