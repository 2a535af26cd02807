package io.meterflow.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * How table {@code sample_block} is keyed, and the SQL that finds its rows by series and hour. On
 * H2 by one {@code BIGINT}, {@code block_key}, packing the series and the hour ({@link #key}), so
 * that a row lives in one map (a composite key is a second map there, written by every insert and
 * looked up by every read); a series' hours are a range of keys. On PostgreSQL by
 * {@code (series_id, hour_start)}, which its monthly partitions need.
 */
final class BlockKeys {

    /** Bits of the hour in a key: the hours since 1970, to beyond the year 9999 (the latest time a source takes). */
    private static final int HOUR_BITS = 27;

    /** The end of every range of hours: after the last hour a key can hold (epoch seconds). */
    static final long LAST_HOUR = ((1L << HOUR_BITS) - 1) * 3600;

    private final boolean packed;

    private BlockKeys(boolean packed) {
        this.packed = packed;
    }

    static BlockKeys of(DataSource ds) {
        return new BlockKeys("h2".equals(Database.vendor(ds)));
    }

    /** Whether rows are keyed by {@code block_key} (H2). */
    boolean packed() {
        return packed;
    }

    /** The key of a series-hour ({@code hourStart}: epoch seconds, a whole hour). */
    static long key(long seriesId, long hourStart) {
        long hour = hourStart / 3600;
        if (hour < 0 || hour >= 1L << HOUR_BITS || seriesId < 0 || seriesId >= 1L << (63 - HOUR_BITS)) {
            throw new StoreException(
                    "series " + seriesId + " at hour " + hourStart
                            + " (epoch seconds) cannot be stored: keys hold 1970 on",
                    new SQLException("block key out of range"));
        }
        return seriesId << HOUR_BITS | hour;
    }

    /** The condition on a table aliased {@code b}: one series' hours {@code from <= h < to}, two or three arguments. */
    String range(String b) {
        return packed
                ? b + "block_key >= ? AND " + b + "block_key < ?"
                : b + "series_id = ? AND " + b + "hour_start >= ? AND " + b + "hour_start < ?";
    }

    /** The order of a series' hours, {@code direction} {@code ASC} or {@code DESC}: the key's own order. */
    String hourOrder(String direction) {
        return packed ? "block_key " + direction : "series_id " + direction + ", hour_start " + direction;
    }

    /** The condition joining table {@code b}'s blocks to the series of table {@code s}: its range of keys on H2. */
    String ofSeries(String b, String s) {
        long perSeries = 1L << HOUR_BITS;
        return packed
                ? b + ".block_key >= " + s + ".id * " + perSeries + " AND " + b + ".block_key < (" + s + ".id + 1) * "
                        + perSeries
                : b + ".series_id = " + s + ".id";
    }

    /** {@link #range(String)} of the table itself. */
    String range() {
        return range("");
    }

    /**
     * Binds a {@link #range} from parameter {@code index}: the hours {@code fromHour <= h < toHour}
     * of a series (epoch seconds; {@code fromHour} a whole hour); the next parameter's index.
     */
    int bindRange(PreparedStatement ps, int index, long seriesId, long fromHour, long toHour) throws SQLException {
        if (packed) {
            // a range reaching beyond the hours keys hold is cut to them: no block lies outside
            long from = Math.max(0, Math.min(fromHour, LAST_HOUR));
            long to = Math.max(0, Math.min(toHour, LAST_HOUR));
            long toWhole = Math.floorDiv(to + 3599, 3600) * 3600; // the first hour not in the range
            ps.setLong(index, key(seriesId, from));
            ps.setLong(index + 1, key(seriesId, toWhole));
            return index + 2;
        }
        ps.setLong(index, seriesId);
        ps.setLong(index + 1, fromHour);
        ps.setLong(index + 2, toHour);
        return index + 3;
    }

    /** The condition of one series-hour: one or two arguments. */
    String at() {
        return packed ? "block_key = ?" : "series_id = ? AND hour_start = ?";
    }

    /** Binds {@link #at} from parameter {@code index}; the next parameter's index. */
    int bindAt(PreparedStatement ps, int index, long seriesId, long hourStart) throws SQLException {
        if (packed) {
            ps.setLong(index, key(seriesId, hourStart));
            return index + 1;
        }
        ps.setLong(index, seriesId);
        ps.setLong(index + 1, hourStart);
        return index + 2;
    }
}
