package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A Flyway migration never changes once it has been released: a database migrated by an earlier
 * version would refuse to start (checksum mismatch) or miss the change. Each migration's name and
 * checksum are recorded in {@code src/test/resources/db/migrations.sha256}; a new migration adds a
 * line there, an edited or renamed one fails here.
 */
class MigrationsTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");

    @Test
    void released_migrations_are_unchanged_and_numbered_in_order() throws Exception {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/db/migrations.sha256"))) {
            if (!line.isBlank()) {
                String[] parts = line.trim().split("\\s+");
                recorded.put(parts[0], parts[1]);
            }
        }
        Map<String, String> actual = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path f : files.sorted((a, b) -> Integer.compare(version(a), version(b)))
                    .toList()) {
                actual.put(
                        f.getFileName().toString(),
                        HexFormat.of()
                                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
            }
        }
        assertEquals(recorded, actual, "a released migration was edited, renamed or removed (add new ones instead)");
        int expected = 1;
        for (String name : actual.keySet()) {
            assertEquals(
                    expected++, version(MIGRATIONS.resolve(name)), "versions run 1, 2, 3, ... without gaps: " + name);
        }
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }
}
