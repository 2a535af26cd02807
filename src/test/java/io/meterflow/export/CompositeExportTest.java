package io.meterflow.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.series.Aggregation;
import io.meterflow.series.Resolution;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The export's bytes: UTF-8 column names, every cell and empty cell, across many chunks of output. */
class CompositeExportTest {

    @TempDir
    Path dir;

    @Test
    void a_long_export_is_the_exact_utf8_text_of_its_rows() throws Exception {
        Instant start = Instant.parse("2025-01-06T00:00:00Z");
        int seconds = 2 * 3600;
        StringBuilder file = new StringBuilder("timestamp,température,débit\n");
        StringBuilder expected = new StringBuilder("timestamp,température,débit\n");
        for (int s = 0; s < seconds; s++) {
            String time = start.plusSeconds(s).toString();
            String temperature = (s % 600 - 300) + ".5";
            String flow = s % 7 == 0 ? "N/A" : Integer.toString(s);
            file.append(time)
                    .append(',')
                    .append(temperature)
                    .append(',')
                    .append(flow)
                    .append('\n');
            expected.append(time.replace("Z", "+00:00"))
                    .append(',')
                    .append(temperature)
                    .append(',')
                    .append(s % 7 == 0 ? "" : s + ".0")
                    .append('\n');
        }
        Path f = dir.resolve("inbox/ecc38a217ccc/two-hours.csv");
        Files.createDirectories(f.getParent());
        Files.writeString(f, file, StandardCharsets.UTF_8);
        try (Engine engine = TestEngines.start(dir, TestDatabases.h2())) {
            assertTrue(engine.fileIngestor().ingestDropped(f.toFile()).ingested());
            ExportRequest request = new ExportRequest(
                    List.of(engine.registry().find("ecc38a217ccc")),
                    start,
                    start.plusSeconds(seconds - 1),
                    Resolution.SEC_1,
                    Aggregation.MEAN,
                    ZoneOffset.UTC,
                    "x",
                    true);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CompositeExport.Result result = engine.compositeExport().write(request, out, rows -> {});

            assertEquals(seconds, result.rows());
            byte[] bytes = out.toByteArray();
            assertTrue(bytes.length > 8 * 32_768, "several chunks: " + bytes.length + " bytes");
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertEquals("timestamp,température,débit", text.substring(0, text.indexOf('\n')));
            assertEquals(expected.toString(), text);
            assertArrayEquals(expected.toString().getBytes(StandardCharsets.UTF_8), bytes);
        }
    }
}
