package io.meterflow.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The monthly partitions of {@code sample_block} on PostgreSQL ({@code sample_block_yYYYYmMM}, one per
 * UTC month of {@code hour_start}): a month's partition is created before the first block of that
 * month is written, by whichever engine writes it first. On H2, which has no partitions, nothing.
 */
public final class Partitions {

    /** A month's partition: its table and its hours {@code [fromHour, toHour)}, epoch seconds. */
    public record Month(String table, long fromHour, long toHour) {}

    private final DataSource ds;
    private final boolean partitioned;
    private final Set<Long> known = ConcurrentHashMap.newKeySet();

    public Partitions(DataSource ds) {
        this.ds = ds;
        this.partitioned = Sql.queryLong(ds, isPostgres(ds) ? PARTITIONED : "SELECT 0") > 0;
    }

    private static final String PARTITIONED = "SELECT COUNT(*) FROM pg_partitioned_table p JOIN pg_class c"
            + " ON c.oid = p.partrelid WHERE c.relname = 'sample_block' AND c.relnamespace = current_schema()::regnamespace";

    private static boolean isPostgres(DataSource ds) {
        try (Connection c = ds.getConnection()) {
            return c.getMetaData().getDatabaseProductName().toLowerCase().contains("postgres");
        } catch (SQLException e) {
            throw new StoreException("cannot tell the database apart", e);
        }
    }

    /** Whether {@code sample_block} is partitioned (PostgreSQL). */
    public boolean partitioned() {
        return partitioned;
    }

    /** Makes sure the partition of every block's month exists. */
    void ensure(Collection<EncodedBlock> blocks) {
        if (!partitioned) {
            return;
        }
        for (EncodedBlock b : blocks) {
            long month = monthOf(b.hourStart());
            if (!known.contains(month)) {
                create(month);
                known.add(month);
            }
        }
    }

    private void create(long monthStart) {
        Month m = month(monthStart);
        String ddl = "CREATE TABLE IF NOT EXISTS " + m.table() + " PARTITION OF sample_block FOR VALUES FROM ("
                + m.fromHour() + ") TO (" + m.toHour() + ")";
        try (Connection c = ds.getConnection();
                Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute(ddl);
        } catch (SQLException e) {
            // another engine may have created it at the same moment
            if (!months().contains(m)) {
                throw new StoreException("cannot create partition " + m.table(), e);
            }
        }
    }

    /** The partitions that exist, oldest first. */
    public List<Month> months() {
        if (!partitioned) {
            return List.of();
        }
        List<Month> out = new ArrayList<>();
        for (String name : Sql.query(
                ds,
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                        + " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'sample_block'"
                        + " AND p.relnamespace = current_schema()::regnamespace ORDER BY c.relname",
                0,
                rs -> rs.getString(1))) {
            if (name.matches("sample_block_y\\d{4}m\\d{2}")) {
                int year = Integer.parseInt(name.substring(14, 18));
                int month = Integer.parseInt(name.substring(19, 21));
                out.add(month(LocalDate.of(year, month, 1)
                        .atStartOfDay(ZoneOffset.UTC)
                        .toEpochSecond()));
            }
        }
        return out;
    }

    /** The first hour of the UTC month holding {@code hourStart}. */
    static long monthOf(long hourStart) {
        LocalDate d = Instant.ofEpochSecond(hourStart)
                .atZone(ZoneOffset.UTC)
                .toLocalDate()
                .withDayOfMonth(1);
        return d.atStartOfDay(ZoneOffset.UTC).toEpochSecond();
    }

    static Month month(long monthStart) {
        LocalDate first =
                Instant.ofEpochSecond(monthStart).atZone(ZoneOffset.UTC).toLocalDate();
        return new Month(
                String.format("sample_block_y%04dm%02d", first.getYear(), first.getMonthValue()),
                monthStart,
                first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond());
    }

    /** Forgets the months a retention dropped (they are created again if data for them comes). */
    void forget(long monthStart) {
        known.remove(monthStart);
    }

    /** Forgets every month: another engine may have dropped some. */
    void forgetAll() {
        known.clear();
    }
}
