package io.meterflow.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.api.ApiResponse;
import io.meterflow.app.Engine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real meter file, ingested, then dropped again in broken forms (truncated mid-number, NUL
 * bytes, a 10 MB line, UTF-16, NaN/Infinity/1e308 values, the years 1900 and 9999): each ends in
 * {@code .done} or {@code .error} with a reason within seconds, and the export of the hour is the
 * same CSV, byte for byte, as before: nothing stored is lost or altered, no NaN or Infinity
 * reaches it.
 */
class MutatedFilesTest {

    static final String METER = "ecc38a217ccc";
    static final Path REAL = Path.of("samples/ecc38a217ccc/AN53111387-E-2025-01-06T00-00-00-0500-60sec.csv");

    @TempDir
    Path dir;

    private static String export(Engine engine) throws Exception {
        ApiResponse r = engine.api()
                .exports()
                .generateCsv("{\"mac_address\":\"" + METER + "\",\"start_datetime\":\"2025-01-06T00:00:00\","
                        + "\"end_datetime\":\"2025-01-06T00:59:59\",\"resolution\":\"1min\",\"aggregation\":\"last\"}");
        assertEquals(200, r.status());
        return StandardCharsets.UTF_8.decode((java.nio.ByteBuffer) r.body()).toString(); // an hour: from memory
    }

    /** The broken forms of the real file, by name. */
    private static Map<String, byte[]> mutations(String real) {
        String[] lines = real.split("\n");
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("truncated.csv", real.substring(0, real.length() - 5).getBytes(StandardCharsets.UTF_8));
        m.put(
                "nul.csv",
                real.replace(",0.9", ",\0.9")
                        .replace("2025-01-06T00:1", "2025-01-06T00:\0" + "1")
                        .getBytes(StandardCharsets.UTF_8));
        m.put(
                "ten-mb-line.csv",
                (lines[0] + "\n" + lines[1] + "," + "9".repeat(10 << 20) + "\n" + lines[2] + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        byte[] utf16 = real.getBytes(StandardCharsets.UTF_16LE);
        byte[] bom = new byte[utf16.length + 2];
        bom[0] = (byte) 0xFF;
        bom[1] = (byte) 0xFE;
        System.arraycopy(utf16, 0, bom, 2, utf16.length);
        m.put("utf16.csv", bom);
        StringBuilder specials = new StringBuilder(lines[0]).append('\n');
        String[] odd = {"NaN", "Infinity", "-Infinity", "1e308", "-1e308", "1e16", "inf", "nan"};
        for (int i = 1; i < lines.length; i++) {
            String[] cells = lines[i].split(",");
            for (int c = 1; c < cells.length; c++) {
                cells[c] = odd[(i + c) % odd.length];
            }
            specials.append(String.join(",", cells)).append('\n');
        }
        m.put("nan-infinity.csv", specials.toString().getBytes(StandardCharsets.UTF_8));
        m.put(
                "years.csv",
                real.replace("2025-01-06T00:0", "1900-01-06T00:0")
                        .replace("2025-01-06T00:3", "9999-12-31T23:3")
                        .replace("2025-01-06T00:5", "+10000-01-06T00:5")
                        .getBytes(StandardCharsets.UTF_8));
        return m;
    }

    @Test
    void broken_copies_of_a_real_file_never_change_what_it_stored() throws Exception {
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (Engine engine = TestEngines.start(dir, TestDatabases.h2())) {
            Path inbox = dir.resolve("inbox/" + METER);
            Files.createDirectories(inbox);
            String real = Files.readString(REAL);
            Path good = Files.writeString(inbox.resolve("real.csv"), real);
            assertTrue(engine.fileIngestor().ingestDropped(good.toFile()).ingested());
            String before = export(engine);
            assertEquals(61, before.lines().count());

            for (Map.Entry<String, byte[]> e : mutations(real).entrySet()) {
                Path f = Files.write(inbox.resolve(e.getKey()), e.getValue());
                IngestReport report = worker.submit(() -> engine.fileIngestor().ingestDropped(f.toFile()))
                        .get(20, TimeUnit.SECONDS);
                Path done = dir.resolve("inbox/.done/" + METER).resolve(e.getKey());
                Path error = dir.resolve("inbox/.error/" + METER).resolve(e.getKey());
                assertFalse(Files.exists(f), e.getKey() + " left the inbox");
                assertTrue(Files.exists(report.ingested() ? done : error), e.getKey() + ": " + report);
                if (!report.ingested()) {
                    String reason = Files.readString(error.resolveSibling(e.getKey() + ".reason"));
                    assertFalse(reason.isBlank(), e.getKey());
                }
                String after = export(engine);
                assertFalse(after.contains("NaN") || after.contains("Infinity"), e.getKey() + ":\n" + after);
                assertEquals(before, after, e.getKey() + " changed what was stored");
            }
        } finally {
            worker.shutdownNow();
        }
    }
}
