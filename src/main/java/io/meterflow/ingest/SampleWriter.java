package io.meterflow.ingest;

import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.store.RetryableWriteException;
import io.meterflow.store.SampleStore;
import io.meterflow.store.SeriesCatalog;
import io.meterflow.store.StoreAvailability;
import io.meterflow.store.StoreException;
import io.meterflow.store.WriteSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path every source uses: a source's rows for one meter go into one transaction,
 * batched by hour ({@link HourlyBatcher}), and are committed together; a transaction that loses
 * a race with another writer of the same meter-hour is tried again whole, up to {@code attempts}
 * times. Nothing of a failed or rejected write is stored.
 */
public final class SampleWriter {

    private static final Logger LOG = LoggerFactory.getLogger(SampleWriter.class);

    /** What a source writes in one transaction. Called again from the start when the transaction is retried. */
    @FunctionalInterface
    public interface Rows<E extends Exception> {
        void writeTo(HourlyBatcher batch) throws E;
    }

    /** What one committed write stored: samples written (new or replaced values) and the time span of its rows. */
    public record Written(long samples, long firstMillis, long lastMillis) {}

    private final MeterRegistry registry;
    private final SeriesCatalog catalog;
    private final SampleStore store;
    private final int attempts;
    private final StoreAvailability availability;

    public SampleWriter(
            MeterRegistry registry,
            SeriesCatalog catalog,
            SampleStore store,
            int attempts,
            StoreAvailability availability) {
        this.registry = registry;
        this.catalog = catalog;
        this.store = store;
        this.attempts = attempts;
        this.availability = availability;
    }

    /** Writes {@code rows} of {@code meter} in one transaction and commits it. */
    public <E extends Exception> Written write(Meter meter, Rows<E> rows) throws E {
        for (int attempt = 1; ; attempt++) {
            try (WriteSession session = store.openSession(meter.id())) {
                HourlyBatcher batch = new HourlyBatcher(meter, registry, catalog, session);
                rows.writeTo(batch);
                batch.flush();
                session.commit();
                availability.succeeded();
                return new Written(session.samplesWritten(), batch.firstMillis(), batch.lastMillis());
            } catch (StoreException e) {
                availability.failed(e);
                throw e;
            } catch (RetryableWriteException e) {
                if (attempt >= attempts) {
                    throw e;
                }
                LOG.info(
                        "write retried meter={} attempt={}/{} after a conflict: {}",
                        meter.id(),
                        attempt + 1,
                        attempts,
                        e.getMessage());
            }
        }
    }
}
