package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps raw samples for {@code days} days (0: forever). Whole UTC months older than that move to
 * {@code sample_rollup}: their minute and hour rollups stay, their raw samples go — on PostgreSQL
 * the month's partition of {@code sample_block} is dropped, on H2 its rows are deleted. From then
 * on raw samples are kept from the start of the next month on ({@code store_state.raw_retained_from});
 * exports at a minute and coarser read both tables (the readers name both; view {@code sample_hours}
 * shows them together for SQL users) and stay exact.
 */
public final class RawRetention {

    private static final Logger LOG = LoggerFactory.getLogger(RawRetention.class);

    private static final String COLUMNS = "series_id, hour_start, sample_count, first_millis, last_millis,"
            + " value_sum, value_min, value_max, first_value, last_value, minutes";

    private final DataSource ds;
    private final Partitions partitions;
    private final SampleStore store;
    private final int days;
    private final Clock clock;

    public RawRetention(DataSource ds, Partitions partitions, SampleStore store, int days, Clock clock) {
        this.ds = ds;
        this.partitions = partitions;
        this.store = store;
        this.days = days;
        this.clock = clock;
    }

    /**
     * The blocks whose minute rollups are made from their samples when read (1-minute data): their
     * rollups are made now and stored, for their samples go. In batches, so memory holds few.
     */
    private static long archiveDerived(Connection c, long boundary) throws SQLException {
        long moved = 0;
        String select = "SELECT " + COLUMNS.replace("minutes", "samples") + " FROM sample_block b"
                + " WHERE b.hour_start < ? AND OCTET_LENGTH(b.minutes) < 3 AND NOT EXISTS (SELECT 1 FROM"
                + " sample_rollup r WHERE r.series_id = b.series_id AND r.hour_start = b.hour_start)";
        try (PreparedStatement read = c.prepareStatement(select);
                PreparedStatement insert = c.prepareStatement(
                        "INSERT INTO sample_rollup (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            read.setLong(1, boundary);
            read.setFetchSize(500);
            try (ResultSet rs = read.executeQuery()) {
                int batch = 0;
                while (rs.next()) {
                    for (int i = 1; i <= 10; i++) {
                        insert.setObject(i, rs.getObject(i));
                    }
                    long hourStart = rs.getLong(2);
                    insert.setBytes(11, BlockCodec.minutesEncoded(hourStart * 1000, rs.getBytes(11)));
                    insert.addBatch();
                    moved++;
                    if (++batch == 500) {
                        insert.executeBatch();
                        batch = 0;
                    }
                }
                if (batch > 0) {
                    insert.executeBatch();
                }
            }
        }
        return moved;
    }

    public int days() {
        return days;
    }

    /**
     * Moves the months older than the retention to the rollups; the number of series-hours moved.
     * Idempotent, and safe with several engines: the moves are one transaction.
     */
    public long apply() {
        if (days == 0) {
            return 0;
        }
        long boundary =
                Partitions.monthOf(clock.instant().minus(Duration.ofDays(days)).getEpochSecond());
        long moved;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement archive = c.prepareStatement("INSERT INTO sample_rollup (" + COLUMNS + ") SELECT "
                            + COLUMNS + " FROM sample_block b WHERE b.hour_start < ? AND OCTET_LENGTH(b.minutes) >= 3"
                            + " AND NOT EXISTS (SELECT 1 FROM sample_rollup r WHERE r.series_id = b.series_id"
                            + " AND r.hour_start = b.hour_start)");
                    PreparedStatement mark = c.prepareStatement(
                            "UPDATE store_state SET amount = ? WHERE name = 'raw_retained_from' AND amount < ?")) {
                archive.setLong(1, boundary);
                moved = archive.executeUpdate() + archiveDerived(c, boundary);
                if (partitions.partitioned()) {
                    try (Statement drop = c.createStatement()) {
                        for (Partitions.Month m : partitions.months()) {
                            if (m.toHour() <= boundary) {
                                drop.execute("DROP TABLE " + m.table());
                                partitions.forget(m.fromHour());
                            }
                        }
                    }
                }
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM sample_block WHERE hour_start < ?")) {
                    delete.setLong(1, boundary); // what no partition held (H2), or what came late
                    delete.executeUpdate();
                }
                mark.setLong(1, boundary);
                mark.setLong(2, boundary);
                mark.executeUpdate();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("cannot apply the raw retention", e);
        }
        store.rawRetainedFromChanged();
        if (moved > 0) {
            LOG.info(
                    "raw retention days={} kept from={} series-hours moved to rollups={}",
                    days,
                    Instant.ofEpochSecond(boundary),
                    moved);
        }
        return moved;
    }
}
