package io.meterflow.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** Migrations of one database where they differ (Flyway's {vendor} location). */
    private static final Path VENDORS = Path.of("src/main/resources/db/vendor");

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
        List<Path> files = new ArrayList<>();
        try (Stream<Path> all = Files.walk(Path.of("src/main/resources/db"))) {
            all.filter(f -> f.getFileName().toString().endsWith(".sql")).forEach(files::add);
        }
        files.sort(Comparator.comparing((Path f) -> version(f)).thenComparing(Path::toString));
        for (Path f : files) {
            actual.put(
                    Path.of("src/main/resources/db/migration")
                            .getParent()
                            .relativize(f)
                            .toString()
                            .replace("migration/", ""),
                    HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
        }
        assertEquals(recorded, actual, "a released migration was edited, renamed or removed (add new ones instead)");
        // every database runs the shared migrations and its own: versions 1, 2, 3, ... without gaps
        try (Stream<Path> vendors = Files.list(VENDORS)) {
            for (Path vendor : vendors.sorted().toList()) {
                List<Integer> versions = new ArrayList<>();
                for (Path f : files) {
                    if (f.startsWith(MIGRATIONS) || f.startsWith(vendor)) {
                        versions.add(version(f));
                    }
                }
                versions.sort(null);
                for (int i = 0; i < versions.size(); i++) {
                    assertEquals(i + 1, versions.get(i), vendor.getFileName() + ": versions run 1, 2, 3, ...");
                }
            }
        }
    }

    private static int version(Path migration) {
        String name = migration.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }
}
