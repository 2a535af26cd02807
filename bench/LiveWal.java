import io.meterflow.store.Database;
import io.meterflow.store.EncodedBlock;
import io.meterflow.store.SampleStore;
import io.meterflow.store.WriteSession;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * WAL written per stored value on PostgreSQL by the store's write path (bench/run runs it on a new
 * database): one hour of 1-second data of several series, written three ways into separate hours.
 *
 * <ul>
 *   <li>file: each series' hour as one block, one transaction (what a file import writes);
 *   <li>frames into a closed hour: 60 frames of 60 rows per series, each its own transaction, each
 *       rewriting its hour's block (what every live frame did before pending rows);
 *   <li>frames into an open hour: the same frames, appended as pending rows, then folded once the
 *       hour has closed (the fold counted).
 * </ul>
 *
 * Usage: {@code java -cp target/meterflow.jar bench/LiveWal.java JDBC_URL USER [ROWS FRAMES_PER_TRANSACTION]}
 * (default 60 rows, 1 frame a transaction).
 */
public class LiveWal {

    static final int SERIES = 20;
    static int ROWS = 60;
    static int FRAMES = 3600 / ROWS;
    /** Frames (of every series) committed together: 1 as frames arriving a minute apart; more as a burst. */
    static int GROUP = 1;

    public static void main(String[] args) throws Exception {
        DataSource ds = Database.open(args[0], args[1], "", 4, 10_000, 10_000);
        if (args.length > 2) {
            ROWS = Integer.parseInt(args[2]);
            FRAMES = 3600 / ROWS;
            GROUP = Integer.parseInt(args[3]);
        }
        long[] series = series(ds);
        long base = Instant.parse("2025-06-01T00:00:00Z").getEpochSecond();
        long fileHour = base;
        long closedHour = base + 3600;
        long openHour = base + 7200;
        Clock later = Clock.fixed(Instant.ofEpochSecond(base + 5 * 3600), ZoneOffset.UTC);
        Clock during = Clock.fixed(Instant.ofEpochSecond(openHour + 60), ZoneOffset.UTC);

        long values = (long) SERIES * FRAMES * ROWS;
        String lsn = lsn(ds);
        SampleStore closed = new SampleStore(ds, later);
        List<EncodedBlock> hour = new ArrayList<>();
        for (long s : series) {
            hour.add(block(s, fileHour, 0, FRAMES * ROWS));
        }
        commit(closed, hour);
        double file = (double) since(ds, lsn) / values;

        lsn = lsn(ds);
        frames(closed, series, closedHour);
        double rewritten = (double) since(ds, lsn) / values;

        lsn = lsn(ds);
        frames(new SampleStore(ds, during), series, openHour);
        double appended = (double) since(ds, lsn) / values;
        try (WriteSession session = closed.openSession()) {
            session.foldClosedHours();
            session.commit();
        }
        double folded = (double) since(ds, lsn) / values;
        long stored = closed.sampleCount();
        if (stored != 3 * values) {
            throw new IllegalStateException("stored " + stored + " values, expected " + 3 * values);
        }
        System.out.printf(
                "wal_per_value file=%.2f frames_rewriting=%.2f frames_appended=%.2f frames_with_fold=%.2f"
                        + " series=%d frames=%d rows=%d frames_per_transaction=%d%n",
                file, rewritten, appended, folded, SERIES, FRAMES, ROWS, GROUP);
    }

    /** The hour as frames of every series, {@link #GROUP} frames a transaction. */
    static void frames(SampleStore store, long[] series, long hour) {
        for (int f = 0; f < FRAMES; f += GROUP) {
            List<EncodedBlock> blocks = new ArrayList<>();
            for (int g = f; g < Math.min(FRAMES, f + GROUP); g++) {
                for (long s : series) {
                    blocks.add(block(s, hour, g * ROWS, ROWS));
                }
            }
            commit(store, blocks);
        }
    }

    /** Seconds {@code from <= s < from + n} of the hour, a meter-like reading: value = 1000 + s / 7 (3 decimals). */
    static EncodedBlock block(long series, long hour, int from, int n) {
        long[] millis = new long[n];
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            int s = from + i;
            millis[i] = (hour + s) * 1000;
            values[i] = Math.round((1000 + s / 7.0 + series) * 1000) / 1000.0;
        }
        return EncodedBlock.encode(series, hour, millis, values, n);
    }

    static void commit(SampleStore store, List<EncodedBlock> blocks) {
        try (WriteSession s = store.openSession()) {
            s.write(blocks);
            s.commit();
        }
    }

    static long[] series(DataSource ds) throws Exception {
        long[] ids = new long[SERIES];
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO meter (id, timezone, origin, created_at)"
                    + " VALUES ('walbench', 'UTC', 'bench', CURRENT_TIMESTAMP)")) {
                ps.executeUpdate();
            }
            for (int i = 0; i < SERIES; i++) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO series (meter_id, signal, kind)"
                        + " VALUES ('walbench', ?, 'gauge') RETURNING id")) {
                    ps.setString(1, "s" + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        ids[i] = rs.getLong(1);
                    }
                }
            }
        }
        return ids;
    }

    static String lsn(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                ResultSet rs = c.createStatement().executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return rs.getString(1);
        }
    }

    static long since(DataSource ds, String lsn) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ?::pg_lsn)::bigint")) {
            ps.setString(1, lsn);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
