package io.meterflow.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The check of {@code inbox/.done} against the ledger at start: files whose ingestion the ledger
 * does not record go back into the inbox; after a normal stop on the embedded H2, with the ledger
 * as that stop left it, the check is skipped, and in every other case it runs.
 */
class DoneFolderTest {

    @TempDir
    Path dir;

    private Engine engine;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    /** An engine started (again) on the same folder and database: it takes the stop mark as it starts. */
    private Engine start(TestDatabases.Target db) {
        if (engine != null) {
            engine.close();
        }
        engine = TestEngines.startWithoutMetersFile(dir, db);
        return engine;
    }

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private Path inbox(String relative) {
        return dir.resolve("inbox").resolve(relative);
    }

    private Path write(Path p, String content) throws Exception {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static String rows(int day, int count, double base) {
        StringBuilder sb = new StringBuilder("timestamp,kw\n");
        for (int i = 0; i < count; i++) {
            sb.append(String.format("2025-01-%02d 00:%02d:00,%s%n", day, i, base + i));
        }
        return sb.toString();
    }

    /** Ingests a file through the inbox: it ends in .done, recorded by the ledger. */
    private void ingest(String relative, String content) throws Exception {
        assertTrue(engine.fileIngestor()
                .ingestDropped(write(inbox(relative), content).toFile())
                .ingested());
        assertTrue(Files.exists(inbox(".done/" + relative)));
    }

    /** A file in .done the ledger does not record, as a commit lost in a power loss leaves it. */
    private Path lost(String relative, String content) throws Exception {
        return write(inbox(".done/" + relative), content);
    }

    /**
     * A new H2 engine that ingested {@code files} ({@code m1/<name>}, one day each) and stopped
     * normally: the mark it leaves is in {@code .done}. Start it again with the database returned.
     */
    private TestDatabases.Target stoppedNormallyAfter(String... files) throws Exception {
        TestDatabases.Target db = TestDatabases.h2();
        start(db);
        for (int i = 0; i < files.length; i++) {
            ingest("m1/" + files[i], rows(i + 1, 5, 1));
        }
        engine.doneFolder().markStopped();
        return db;
    }

    private long samples() throws Exception {
        try (Connection c = engine.store().dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT COALESCE(SUM(sample_count), 0) FROM sample_block")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void a_done_file_the_ledger_does_not_record_goes_back_into_the_inbox(TestDatabases.Target db) throws Exception {
        start(db);
        ingest("m1/kept.csv", rows(1, 5, 1));
        Path lost = lost("m1/sub/lost.csv", rows(2, 5, 1));
        // same name as a recorded file, other content: not the file that was ingested
        Files.writeString(inbox(".done/m1/kept.csv"), rows(3, 7, 1));
        Path loose = lost("loose.csv", rows(4, 3, 1)); // not in a meter folder: never recorded
        lost(".hidden.csv", rows(5, 3, 1)); // hidden: the inbox never reads it, so it stays

        assertEquals(3, engine.doneFolder().requeueUnrecorded());
        assertTrue(Files.exists(inbox("m1/sub/lost.csv")));
        assertTrue(Files.exists(inbox("m1/kept.csv")));
        assertTrue(Files.exists(inbox("loose.csv")));
        assertFalse(Files.exists(lost));
        assertFalse(Files.exists(loose));
        assertTrue(Files.exists(inbox(".done/.hidden.csv")));
        assertEquals(0, engine.doneFolder().requeueUnrecorded(), "nothing left to put back");
        engine.fileIngestor().ingestDropped(inbox("m1/sub/lost.csv").toFile());
        engine.fileIngestor().ingestDropped(inbox("m1/kept.csv").toFile());
        assertEquals(0, engine.doneFolder().requeueUnrecorded(), "both recorded now");
        assertEquals(5 + 5 + 7, samples());
    }

    @Test
    void after_a_normal_stop_on_the_embedded_database_the_folder_is_not_checked_again() throws Exception {
        TestDatabases.Target db = stoppedNormallyAfter("a.csv");
        Path mark = inbox(".done/" + DoneFolder.STOP_MARK);
        assertTrue(Files.readString(mark).startsWith("ledger-last-id="), Files.readString(mark));
        // put there while the engine was stopped: the normal stop vouches for the folder, so it is
        // not looked at (a commit cannot have been lost after a normal stop)
        Path unseen = lost("m1/b.csv", rows(2, 5, 1));

        start(db);
        assertFalse(Files.exists(mark), "the mark is taken at start");
        assertEquals(0, engine.doneFolder().requeueUnrecorded());
        assertTrue(Files.exists(unseen), "the check was skipped");
        // the mark stands for one start only: the next check looks at every file
        assertEquals(1, engine.doneFolder().requeueUnrecorded());
        assertTrue(Files.exists(inbox("m1/b.csv")));
    }

    @Test
    void without_a_mark_after_a_crash_every_file_is_checked() throws Exception {
        TestDatabases.Target db = stoppedNormallyAfter("a.csv");
        start(db); // takes the mark; this run ends without a normal stop (no new mark)
        Path lost = lost("m1/b.csv", rows(2, 5, 1));

        start(db);
        assertEquals(1, engine.doneFolder().requeueUnrecorded());
        assertFalse(Files.exists(lost));
        assertTrue(Files.exists(inbox("m1/b.csv")));
    }

    @Test
    void a_ledger_changed_since_the_mark_means_every_file_is_checked() throws Exception {
        TestDatabases.Target db = stoppedNormallyAfter("a.csv", "b.csv");
        // the database put back from a backup older than the folder: the last file's row is gone
        try (Connection c = engine.store().dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("DELETE FROM ingested_file WHERE path LIKE ?")) {
            ps.setString(1, "%b.csv");
            assertEquals(1, ps.executeUpdate());
        }

        start(db);
        assertEquals(1, engine.doneFolder().requeueUnrecorded());
        assertTrue(Files.exists(inbox("m1/b.csv")));
        assertTrue(Files.exists(inbox(".done/m1/a.csv")));
    }

    @Test
    void an_unreadable_mark_means_every_file_is_checked() throws Exception {
        TestDatabases.Target db = stoppedNormallyAfter("a.csv");
        Path mark = inbox(".done/" + DoneFolder.STOP_MARK);
        Files.writeString(mark, "ledger-last-id=1x\n"); // torn or edited
        lost("m1/b.csv", rows(2, 5, 1));

        start(db);
        assertFalse(Files.exists(mark));
        assertEquals(1, engine.doneFolder().requeueUnrecorded());
    }

    @Test
    void a_ledger_unreadable_at_start_means_a_full_check_not_a_failed_start() throws Exception {
        Path done = inbox(".done");
        Path mark = write(done.resolve(DoneFolder.STOP_MARK), "ledger-last-id=3\n");
        write(done.resolve("m1/a.csv"), rows(1, 5, 1));
        JdbcDataSource gone = new JdbcDataSource(); // no such database: every query fails
        gone.setURL("jdbc:h2:" + dir.resolve("none").toAbsolutePath() + ";IFEXISTS=TRUE");
        DoneFolder folder = new DoneFolder(inbox(""), new IngestedFiles(gone), true);

        folder.takeStopMark(); // the engine's start goes on
        assertFalse(Files.exists(mark), "the mark is taken all the same");
        // not skipped: the check itself reads the ledger (and fails while it cannot be read)
        assertThrows(StoreException.class, folder::requeueUnrecorded);
        assertTrue(Files.exists(done.resolve("m1/a.csv")), "nothing moved");
    }

    @Test
    void on_postgresql_which_engines_share_the_folder_is_always_checked() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestDatabases.postgresAvailable());
        TestDatabases.Target db = TestDatabases.postgres();
        start(db);
        ingest("m1/a.csv", rows(1, 5, 1));
        engine.doneFolder().markStopped();
        assertFalse(Files.exists(inbox(".done/" + DoneFolder.STOP_MARK)), "no mark: other engines move files too");
        lost("m1/b.csv", rows(2, 5, 1));

        start(db);
        assertEquals(1, engine.doneFolder().requeueUnrecorded());
    }
}
