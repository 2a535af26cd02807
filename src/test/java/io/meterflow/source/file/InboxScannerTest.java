package io.meterflow.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.series.Sample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The inbox's scanner against a real engine and database: which files it takes, that every file
 * it takes is stored once and moved out, many more than it holds at a time, and that it leaves
 * alone what another engine claimed or what is not ready.
 */
class InboxScannerTest {

    private static final long HOUR = 3_600_000L;
    private static final long T0 = 1_735_689_600_000L; // 2025-01-01T00:00:00Z

    @TempDir
    Path dir;

    private Engine engine;
    private InboxScanner scanner;

    static List<TestDatabases.Target> databases() {
        return TestDatabases.all();
    }

    @AfterEach
    void close() {
        if (scanner != null) {
            scanner.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    private Path inbox() {
        return dir.resolve("inbox");
    }

    private InboxScanner scanner(InboxClaims claims, long minAgeMillis) {
        if (engine == null) {
            engine = TestEngines.startWithoutMetersFile(dir, TestDatabases.h2());
        }
        scanner = new InboxScanner(inbox(), engine.fileIngestor(), claims, minAgeMillis, 4);
        return scanner;
    }

    /** A file an hour old, as files moved into the inbox whole usually are. */
    private Path drop(String relative, String content) throws Exception {
        Path p = inbox().resolve(relative);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - HOUR));
        return p;
    }

    /** Hour {@code h}'s file: ten rows, value {@code h * 100 + i} at second {@code 6 * i}. */
    private static String hourFile(int h) {
        StringBuilder sb = new StringBuilder("timestamp,kw\n");
        for (int i = 0; i < 10; i++) {
            sb.append(Instant.ofEpochMilli(T0 + h * HOUR + i * 6_000L))
                    .append(',')
                    .append(h * 100 + i)
                    .append('\n');
        }
        return sb.toString();
    }

    private static long count(Path folder) throws Exception {
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    private long query(String sql) throws Exception {
        try (Connection c = engine.dataSource().getConnection();
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            assertTrue(rs.next());
            return rs.getLong(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void many_more_files_than_it_holds_at_a_time_are_each_stored_once_and_moved(TestDatabases.Target db)
            throws Exception {
        engine = TestEngines.startWithoutMetersFile(dir, db);
        int hours = InboxScanner.MAX_FILES_IN_FLIGHT * 2 + 88; // 600
        for (int h = 0; h < hours; h++) {
            drop("scan1/day" + (h / 24) + "/h" + h + ".csv", hourFile(h));
        }
        drop("scan1/broken.csv", "timestamp,kw\nnot a time,1\n");
        drop("stray.csv", hourFile(0));

        assertEquals(hours + 2, scanner(InboxClaims.inMemory(), 1_000).scan());

        assertEquals(0, count(inbox().resolve("scan1")), "nothing left in the inbox");
        assertFalse(Files.exists(inbox().resolve("stray.csv")));
        assertEquals(hours, count(inbox().resolve(".done/scan1")));
        assertEquals(
                "no row has a valid timestamp (1 rows tried)",
                Files.readString(inbox().resolve(".error/scan1/broken.csv.reason"))
                        .trim());
        assertTrue(Files.readString(inbox().resolve(".error/stray.csv.reason"))
                .startsWith("file is not in a meter folder"));
        assertEquals(hours, query("SELECT COUNT(*) FROM ingested_file WHERE status = 'ingested'"));
        assertEquals(2, query("SELECT COUNT(*) FROM ingested_file WHERE status = 'rejected'"));
        long series = engine.catalog().list("scan1").get(0).id();
        List<Sample> stored = engine.store().samples(series, 0, Long.MAX_VALUE);
        assertEquals(hours * 10, stored.size());
        for (int h = 0; h < hours; h++) {
            for (int i = 0; i < 10; i++) {
                assertEquals(new Sample(T0 + h * HOUR + i * 6_000L, h * 100 + i), stored.get(h * 10 + i));
            }
        }
        assertEquals(0, scanner.scan(), "nothing more to take");
    }

    @Test
    void hidden_and_unfinished_files_are_never_taken() throws Exception {
        drop("hide1/.partial.csv", hourFile(0));
        drop("hide1/a.csv.tmp", hourFile(0));
        drop("hide1/a.csv.part", hourFile(0));
        drop("hide1/a.csv.crdownload", hourFile(0));
        drop("hide1/a.csv~", hourFile(0));
        drop("hide1/.git/a.csv", hourFile(0));
        drop("hide1/good.csv", hourFile(1));

        assertEquals(1, scanner(InboxClaims.inMemory(), 1_000).scan());

        assertTrue(Files.exists(inbox().resolve(".done/hide1/good.csv")));
        assertEquals(6, count(inbox().resolve("hide1")), "the six others wait, untouched");
    }

    @Test
    void a_file_is_taken_once_old_enough_or_with_no_minimum_age_once_it_stops_changing() throws Exception {
        Path young = drop("age1/young.csv", hourFile(0));
        Files.setLastModifiedTime(young, FileTime.fromMillis(System.currentTimeMillis()));
        InboxScanner aged = scanner(InboxClaims.inMemory(), 60_000);
        assertEquals(0, aged.scan(), "written just now: younger than the minimum age");
        Files.setLastModifiedTime(young, FileTime.fromMillis(System.currentTimeMillis() - 61_000));
        assertEquals(1, aged.scan());
        aged.close();

        InboxScanner stable = scanner(InboxClaims.inMemory(), 0);
        Path growing = inbox().resolve("age1/growing.csv");
        Files.writeString(growing, "timestamp,kw\n2025-01-01T00:00:00Z,1\n", StandardCharsets.UTF_8);
        assertEquals(0, stable.scan(), "first seen");
        Thread.sleep(300);
        Files.writeString(
                growing, "2025-01-01T00:00:01Z,2\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
        assertEquals(0, stable.scan(), "it grew since");
        assertEquals(0, stable.scan(), "unchanged, but not yet for a quarter of a second");
        Thread.sleep(300);
        assertEquals(1, stable.scan());
        assertEquals(2, query("SELECT rows_read FROM ingested_file WHERE path LIKE '%growing.csv'"));
    }

    @Test
    void a_file_another_engine_claimed_is_left_alone_until_released() throws Exception {
        drop("claim1/mine.csv", hourFile(0));
        drop("claim1/theirs.csv", hourFile(1));
        String theirs = InboxScanner.key("claim1/theirs.csv");
        Set<String> heldElsewhere = ConcurrentHashMap.newKeySet();
        heldElsewhere.add(theirs);
        InboxClaims memory = InboxClaims.inMemory();
        Set<String> released = ConcurrentHashMap.newKeySet();
        InboxClaims shared = new InboxClaims() {
            @Override
            public boolean claim(String key) {
                return !heldElsewhere.contains(key) && memory.claim(key);
            }

            @Override
            public void release(String key) {
                released.add(key);
                memory.release(key);
            }
        };
        InboxScanner s = scanner(shared, 1_000);
        assertEquals(1, s.scan());
        assertTrue(Files.exists(inbox().resolve("claim1/theirs.csv")), "held by the other engine");
        assertEquals(Set.of(InboxScanner.key("claim1/mine.csv")), released, "released once moved");

        heldElsewhere.clear(); // that engine died, or handed the file back
        assertEquals(1, s.scan());
        assertTrue(Files.exists(inbox().resolve(".done/claim1/theirs.csv")));
    }

    @Test
    void a_stopping_engine_takes_no_more_files_and_leaves_the_rest_waiting() throws Exception {
        for (int h = 0; h < 40; h++) {
            drop("stop1/h" + (100 + h) + ".csv", hourFile(h));
        }
        AtomicInteger claims = new AtomicInteger();
        InboxClaims memory = InboxClaims.inMemory();
        InboxScanner[] self = new InboxScanner[1];
        InboxClaims stopAtTen = new InboxClaims() {
            @Override
            public boolean claim(String key) {
                if (claims.incrementAndGet() == 10) {
                    self[0].stopTaking(); // the engine begins to stop while files are being taken
                }
                return memory.claim(key);
            }

            @Override
            public void release(String key) {
                memory.release(key);
            }
        };
        self[0] = scanner(stopAtTen, 1_000);
        assertEquals(10, self[0].scan(), "the files claimed before the stop are settled");
        assertEquals(10, count(inbox().resolve(".done/stop1")));
        assertEquals(30, count(inbox().resolve("stop1")), "the rest wait for the next start");
        assertEquals(0, self[0].scan(), "a stopped scanner takes nothing");
        self[0].close();

        assertEquals(30, scanner(InboxClaims.inMemory(), 1_000).scan(), "taken after the restart");
        assertEquals(40, count(inbox().resolve(".done/stop1")));
    }

    /**
     * Engines before the scanner claimed files through Camel's file consumer with the key
     * {@code ${hash(${file:name})}}: the same key, so during a rolling upgrade an old and a new
     * engine sharing the inbox never read one file both.
     */
    @Test
    void a_claim_key_is_the_one_camels_file_consumer_used() throws Exception {
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            Expression camelKey = camel.resolveLanguage("simple").createExpression("${hash(${file:name})}");
            for (String relative :
                    List.of("ecc38a217ccc/2025-01-01T00-00-00-0500-1sec.csv", "m1/sub dir/é ü.csv", "x.csv")) {
                Exchange exchange = new DefaultExchange(camel);
                exchange.getMessage().setHeader(Exchange.FILE_NAME, relative);
                assertEquals(camelKey.evaluate(exchange, String.class), InboxScanner.key(relative), relative);
            }
        }
    }
}
