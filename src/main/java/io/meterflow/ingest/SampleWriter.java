package io.meterflow.ingest;

import io.meterflow.metrics.Metrics;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.store.EncodedBlock;
import io.meterflow.store.RetryableWriteException;
import io.meterflow.store.SampleStore;
import io.meterflow.store.SeriesCatalog;
import io.meterflow.store.Sql;
import io.meterflow.store.StoreAvailability;
import io.meterflow.store.StoreException;
import io.meterflow.store.TransactionWork;
import io.meterflow.store.WriteSession;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path every source uses. A source's rows for one meter are parsed and encoded into
 * hour blocks in the source's own thread ({@link HourlyBatcher}), so sources parse on every core;
 * the blocks then go to the engine's one writer thread, which commits the writes waiting for it
 * together, in one transaction (group commit): the cost of a commit is shared by all of them.
 * A caller of {@link #write} returns once its rows are committed; one of {@link #writeAsync} goes
 * on at once (the inbox's threads parse the next file), so many writes can wait together. A write that is too large to keep in
 * memory is written by its caller in a transaction of its own, while the writer thread waits.
 * One writer at a time, within the engine, and rows locked in one order, so writers never
 * deadlock. A transaction that loses a race with another engine's writer is tried again, up to
 * {@code attempts} times; a group that fails for one write's sake is split, so the others are
 * stored and only that write fails. Nothing of a failed or rejected write is stored.
 */
public final class SampleWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SampleWriter.class);

    /** At most this many writes share a transaction. */
    static final int MAX_GROUP_WRITES = 512;

    /** At most about this many encoded bytes share a transaction. */
    static final long MAX_GROUP_BYTES = 64L << 20;

    /** What a source writes in one transaction. Called again from the start when a large write is retried. */
    @FunctionalInterface
    public interface Rows<E extends Exception> {
        void writeTo(HourlyBatcher batch) throws E;
    }

    /** What one committed write stored: samples written (new or replaced values) and the time span of its rows. */
    public record Written(long samples, long firstMillis, long lastMillis) {}

    /** A write waiting for the writer thread. */
    private record Pending(
            List<EncodedBlock> blocks, List<TransactionWork> extras, long bytes, CompletableFuture<Void> done) {}

    private final MeterRegistry registry;
    private final SeriesCatalog catalog;
    private final SampleStore store;
    private final int attempts;
    private final StoreAvailability availability;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    /** Held by the writer thread while it writes a group, and by a large write for its whole transaction. */
    private final ReentrantLock writing = new ReentrantLock();

    private final Thread thread;
    private volatile boolean closed;
    private final Metrics metrics;

    public SampleWriter(
            MeterRegistry registry,
            SeriesCatalog catalog,
            SampleStore store,
            int attempts,
            StoreAvailability availability,
            Metrics metrics) {
        this.registry = registry;
        this.catalog = catalog;
        this.store = store;
        this.attempts = attempts;
        this.availability = availability;
        this.metrics = metrics;
        this.thread = new Thread(this::run, "sample-writer");
        thread.setDaemon(true);
        thread.start();
    }

    /** Writes {@code rows} of {@code meter} in one transaction; returns once it is committed. */
    public <E extends Exception> Written write(Meter meter, Rows<E> rows) throws E {
        return await(writeAsync(meter, rows));
    }

    /**
     * Reads {@code rows} of {@code meter} into hour blocks in the calling thread and hands them to
     * the writer thread without waiting for their commit: the future completes once they are
     * committed (in the writer thread: a caller's own slow work belongs in an async stage), or
     * with the failure that kept them from it. A source that does not wait can have many writes
     * queued at once, and the writer commits them together. A large write is committed before
     * this returns. Problems of the rows themselves are thrown here.
     */
    public <E extends Exception> CompletableFuture<Written> writeAsync(Meter meter, Rows<E> rows) throws E {
        for (int attempt = 1; ; attempt++) {
            HourlyBatcher batch =
                    new HourlyBatcher(meter, registry, catalog, this::openLarge, store.rawRetainedFromMillis());
            try {
                rows.writeTo(batch);
                batch.flush();
                if (batch.expiredRows() > 0) {
                    LOG.warn(
                            "rows older than the raw retention keeps were skipped meter={} rows={}",
                            meter.id(),
                            batch.expiredRows());
                }
                WriteSession large = batch.largeSession();
                if (large != null) {
                    runAll(batch.extras(), large);
                    large.commit();
                    availability.succeeded();
                    metrics.committed(1, System.nanoTime() - large.startedNanos());
                    return CompletableFuture.completedFuture(stored(batch));
                }
                if (batch.blocks().isEmpty() && batch.extras().isEmpty()) {
                    return CompletableFuture.completedFuture(stored(batch));
                }
                return submit(batch).handle((committed, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException c ? c.getCause() : failure;
                        if (cause instanceof StoreException) {
                            availability.failed(cause);
                        }
                        throw cause instanceof RuntimeException r ? r : new CompletionException(cause);
                    }
                    return stored(batch);
                });
            } catch (StoreException e) {
                availability.failed(e);
                throw e;
            } catch (RetryableWriteException e) {
                if (batch.largeSession() == null || attempt >= attempts) {
                    throw e; // the writer thread tries a group write again itself
                }
                LOG.info(
                        "large write retried meter={} attempt={}/{}: {}",
                        meter.id(),
                        attempt + 1,
                        attempts,
                        e.getMessage());
            } finally {
                WriteSession large = batch.largeSession();
                if (large != null) {
                    large.close();
                    writing.unlock();
                }
            }
        }
    }

    /** What a committed batch stored, counted in the metrics. */
    private Written stored(HourlyBatcher batch) {
        metrics.stored(batch.rows(), batch.samplesWritten());
        return new Written(batch.samplesWritten(), batch.firstMillis(), batch.lastMillis());
    }

    private WriteSession openLarge() {
        writing.lock();
        try {
            return store.openSession();
        } catch (RuntimeException e) {
            writing.unlock();
            throw e;
        }
    }

    private CompletableFuture<Void> submit(HourlyBatcher batch) {
        long bytes = 0;
        for (EncodedBlock b : batch.blocks()) {
            bytes += b.samples().length + b.minutes().length;
        }
        Pending p =
                new Pending(List.copyOf(batch.blocks()), List.copyOf(batch.extras()), bytes, new CompletableFuture<>());
        if (closed) {
            throw stopping();
        }
        queue.add(p);
        return p.done();
    }

    private static <T> T await(CompletableFuture<T> done) {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException(
                    "interrupted while the write was committed", new SQLTransientConnectionException("interrupted"));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c ? c.getCause() : e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new StoreException("write failed", cause);
        }
    }

    private void run() {
        while (!closed || !queue.isEmpty()) {
            Pending first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                continue;
            }
            List<Pending> group = new ArrayList<>();
            group.add(first);
            long bytes = first.bytes();
            Pending next;
            while (group.size() < MAX_GROUP_WRITES && bytes < MAX_GROUP_BYTES && (next = queue.poll()) != null) {
                group.add(next);
                bytes += next.bytes();
            }
            writing.lock();
            try {
                commitGroup(group);
            } finally {
                writing.unlock();
            }
        }
    }

    /** Commits the group together; when that fails for one write's sake, each write alone. */
    private void commitGroup(List<Pending> group) {
        try {
            commitWithRetries(group);
            group.forEach(p -> p.done().complete(null));
        } catch (RuntimeException e) {
            if (group.size() == 1 || StoreException.unavailable(e) || e instanceof RetryableWriteException) {
                group.forEach(p -> p.done().completeExceptionally(e));
                return;
            }
            for (Pending p : group) {
                try {
                    commitWithRetries(List.of(p));
                    p.done().complete(null);
                } catch (RuntimeException alone) {
                    p.done().completeExceptionally(alone);
                }
            }
        }
    }

    private void commitWithRetries(List<Pending> group) {
        for (int attempt = 1; ; attempt++) {
            long started = System.nanoTime();
            try (WriteSession session = store.openSession()) {
                List<EncodedBlock> blocks = new ArrayList<>();
                for (Pending p : group) {
                    blocks.addAll(p.blocks());
                }
                session.write(blocks);
                for (Pending p : group) {
                    runAll(p.extras(), session);
                }
                session.commit();
                availability.succeeded();
                metrics.committed(group.size(), System.nanoTime() - started);
                return;
            } catch (RetryableWriteException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                LOG.info(
                        "write retried writes={} attempt={}/{} after a conflict: {}",
                        group.size(),
                        attempt + 1,
                        attempts,
                        e.getMessage());
            }
        }
    }

    /**
     * Folds the pending rows of closed hours into their blocks (see {@link WriteSession}), between
     * the writer's transactions; the number of series-hours folded. Called every minute.
     */
    public int foldClosedHours() {
        for (int attempt = 1; ; attempt++) {
            writing.lock();
            try (WriteSession session = store.openSession()) {
                int folded = session.foldClosedHours();
                session.commit();
                if (folded > 0) {
                    LOG.debug("pending samples folded into their blocks series-hours={}", folded);
                }
                return folded;
            } catch (RetryableWriteException e) {
                if (attempt >= attempts) {
                    throw e;
                }
            } finally {
                writing.unlock();
            }
        }
    }

    private static void runAll(List<TransactionWork> extras, WriteSession session) {
        try {
            for (TransactionWork w : extras) {
                w.run(session.connection());
            }
        } catch (SQLException e) {
            if (Sql.isRetryable(e)) {
                throw new RetryableWriteException("a write lost a race with another writer: " + e.getMessage(), e);
            }
            throw new StoreException("cannot write the rows of the source", e);
        }
    }

    private static StoreException stopping() {
        return new StoreException(
                "the engine is stopping", new SQLTransientConnectionException("the engine is stopping"));
    }

    /** Writes what is queued, then stops the writer thread; later writes fail as if the database were away. */
    @Override
    public void close() {
        closed = true; // never interrupted: an interrupt inside JDBC can close an embedded database's file
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done().completeExceptionally(stopping());
        }
    }
}
