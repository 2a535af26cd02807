package io.meterflow.store;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/**
 * Raw samples in compressed series-hour blocks, each carrying its minute rollups. Writers open a
 * {@link WriteSession} (one transaction); readers get blocks by series and hour range.
 */
public final class SampleStore {

    private final DataSource ds;
    private final HourLocks locks;

    public SampleStore(DataSource ds, long lockTimeoutMillis) {
        this.ds = ds;
        this.locks = new HourLocks(4096, lockTimeoutMillis);
    }

    /** Starts a transaction for writing samples of one meter. */
    public WriteSession openSession(String meterId) {
        try {
            Connection c = ds.getConnection();
            c.setAutoCommit(false);
            return new WriteSession(c, meterId, locks);
        } catch (SQLException e) {
            throw new StoreException("cannot open a write transaction", e);
        }
    }

    public long sampleCount() {
        return SqlStates.queryLong(ds, "SELECT COALESCE(SUM(sample_count), 0) FROM sample_block");
    }

    public DataSource dataSource() {
        return ds;
    }
}
