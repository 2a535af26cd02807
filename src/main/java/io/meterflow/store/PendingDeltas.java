package io.meterflow.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of table {@code sample_delta}: live writes appended beside the stored block of an open
 * hour (see {@link WriteSession}), pending until the block is folded with them. A block's value
 * at a timestamp is the latest of the block's and its pending rows', applied in the order they
 * were appended; readers apply them as writers fold them.
 */
final class PendingDeltas {

    /**
     * One pending row.
     *
     * @param added what it added to its series-hour when it was appended
     */
    record Delta(long id, long hourStart, int added, byte[] samples) {}

    private PendingDeltas() {}

    /** The first and last hour (epoch seconds) that pending rows are of, or null when there are none. */
    static long[] span(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MIN(hour_start), MAX(hour_start) FROM sample_delta");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getObject(1) != null ? new long[] {rs.getLong(1), rs.getLong(2)} : null;
        }
    }

    /** Whether a {@link #span} holds any hour of {@code fromHour <= h <= toHour}. */
    static boolean within(long[] span, long fromHour, long toHour) {
        return span != null && span[0] <= toHour && span[1] >= fromHour;
    }

    /**
     * The pending rows of a series in the hours {@code fromHour <= h <= toHour}, by hour, each
     * hour's in the order they were appended.
     */
    static Map<Long, List<Delta>> of(Connection c, long seriesId, long fromHour, long toHour) throws SQLException {
        Map<Long, List<Delta>> byHour = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, hour_start, sample_count, samples FROM sample_delta"
                + " WHERE hour_start >= ? AND hour_start <= ? AND series_id = ? ORDER BY id")) {
            ps.setLong(1, fromHour);
            ps.setLong(2, toHour);
            ps.setLong(3, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Delta d = new Delta(rs.getLong(1), rs.getLong(2), rs.getInt(3), rs.getBytes(4));
                    byHour.computeIfAbsent(d.hourStart(), h -> new ArrayList<>())
                            .add(d);
                }
            }
        }
        return byHour;
    }

    /** A block's samples (null: none stored) with pending rows applied in order: at equal timestamps the later value. */
    static BlockCodec.Samples applied(long hourStart, BlockCodec.Samples block, List<Delta> deltas) {
        BlockCodec.Samples out = block;
        for (Delta d : deltas) {
            BlockCodec.Samples s = BlockCodec.decodeSamples(hourStart * 1000, d.samples());
            out = out == null ? s : EncodedBlock.merge(out, s);
        }
        return out;
    }

    /** What the pending rows added to their series-hour when they were appended. */
    static long added(List<Delta> deltas) {
        long n = 0;
        for (Delta d : deltas) {
            n += d.added();
        }
        return n;
    }
}
