package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseCompactionTest {

    @TempDir
    Path dir;

    private HikariDataSource open(Path base) {
        return Database.open("jdbc:h2:" + base, "sa", "", 2, 5_000, 5_000);
    }

    /** Blocks of 8 series appended hour by hour, one commit per hour, as files arrive. */
    private static long fill(HikariDataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE blob_test (series INT, hour_start INT, body VARBINARY(4000), PRIMARY KEY (series, hour_start))");
        }
        SplittableRandom random = new SplittableRandom(5);
        byte[] payload = new byte[2_000];
        long checksum = 0;
        for (int hour = 0; hour < 400; hour++) {
            try (Connection c = ds.getConnection();
                    PreparedStatement p = c.prepareStatement("INSERT INTO blob_test VALUES (?, ?, ?)")) {
                for (int series = 0; series < 8; series++) {
                    random.nextBytes(payload);
                    p.setInt(1, series);
                    p.setInt(2, hour);
                    p.setBytes(3, payload);
                    p.executeUpdate();
                    checksum += java.util.Arrays.hashCode(payload);
                }
            }
        }
        return checksum;
    }

    @Test
    void a_stopped_embedded_database_is_compacted_and_keeps_every_row() throws Exception {
        // the same writes into two databases: one closed as H2 closes by itself, one by the engine
        HikariDataSource plain = open(dir.resolve("plain"));
        fill(plain);
        plain.close();
        long plainBytes = Files.size(dir.resolve("plain.mv.db"));
        Path base = dir.resolve("meterflow");
        HikariDataSource ds = open(base);
        long checksum = fill(ds);
        Database.close(ds);
        long compacted = Files.size(dir.resolve("meterflow.mv.db"));
        // 3,200 live rows of 2 kB (6.4 MB); left as it is, the file keeps the pages later commits replaced
        assertTrue(compacted < plainBytes * 0.7, "closed by H2 " + plainBytes + " bytes, compacted " + compacted);
        try (HikariDataSource again = open(base);
                Connection c = again.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT body FROM blob_test ORDER BY series, hour_start")) {
            long read = 0;
            int rows = 0;
            while (rs.next()) {
                read += java.util.Arrays.hashCode(rs.getBytes(1));
                rows++;
            }
            assertEquals(3_200, rows);
            assertEquals(checksum, read);
        }
    }

    @Test
    void only_embedded_file_databases_are_compacted() {
        assertEquals(
                Path.of("./data/meterflow.mv.db"), Database.embeddedFile("jdbc:h2:./data/meterflow;WRITE_DELAY=0"));
        assertEquals(Path.of("/srv/m.mv.db"), Database.embeddedFile("jdbc:h2:file:/srv/m"));
        assertNull(Database.embeddedFile("jdbc:h2:mem:test;DB_CLOSE_DELAY=-1"));
        assertNull(Database.embeddedFile("jdbc:h2:tcp://db:9092/meterflow"));
        assertNull(Database.embeddedFile("jdbc:h2:./data/m;AUTO_SERVER=TRUE"));
        assertNull(Database.embeddedFile("jdbc:postgresql://127.0.0.1:5432/test"));
    }

    @Test
    void the_file_path_of_an_embedded_database_is_read_from_its_url() {
        assertEquals(Path.of("./data/meterflow"), Database.embeddedPath("jdbc:h2:./data/meterflow;WRITE_DELAY=0"));
        assertEquals(Path.of("/srv/m"), Database.embeddedPath("jdbc:h2:file:/srv/m;AUTO_SERVER=TRUE"));
        assertNull(Database.embeddedPath("jdbc:h2:mem:test"));
        assertNull(Database.embeddedPath("jdbc:h2:tcp://db:9092/meterflow"));
        assertNull(Database.embeddedPath("jdbc:h2:ssl://db:9092/meterflow"));
        assertNull(Database.embeddedPath("jdbc:postgresql://127.0.0.1:5432/test"));
    }
}
