package io.meterflow.source.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Lines and fields as the reader gives them, whatever the size of its buffer and of the stream's reads. */
class CsvLineReaderTest {

    /** A line as the reader gives it: its fields, and whether it had its line end. */
    private record Line(List<String> fields, boolean terminated) {}

    private static List<Line> read(byte[] bytes, int chunk, int maxRead) throws Exception {
        InputStream in = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, maxRead)); // a stream that hands out little at a time
            }
        };
        CsvLineReader r = new CsvLineReader(in, chunk);
        List<Line> lines = new ArrayList<>();
        while (r.next()) {
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < r.fieldCount; i++) {
                fields.add(new String(r.line, r.fieldStart[i], r.fieldLength[i], StandardCharsets.UTF_8));
            }
            lines.add(new Line(fields, r.terminated()));
        }
        assertFalse(r.next(), "stays at the end");
        return lines;
    }

    /** The same text split the plain way: lines at \n (a \r before it dropped), fields at commas, quotes undone. */
    private static List<Line> reference(String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<Line> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int nl = text.indexOf('\n', start);
            boolean terminated = nl >= 0;
            String line = text.substring(start, terminated ? nl : text.length());
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lines.add(new Line(fields(line), terminated));
            start = terminated ? nl + 1 : text.length();
        }
        return lines;
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = line.indexOf('"') >= 0;
        boolean in = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && in && c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                f.append('"');
                i++;
            } else if (quoted && c == '"') {
                in = !in;
            } else if (c == ',' && !in) {
                out.add(f.toString());
                f.setLength(0);
            } else {
                f.append(c);
            }
        }
        out.add(f.toString());
        return out;
    }

    @Test
    void lines_of_every_length_across_buffer_edges_split_as_the_plain_way_does() throws Exception {
        SplittableRandom r = new SplittableRandom(7);
        String alphabet = "0123456789.,,,- :T\"ab";
        for (int round = 0; round < 400; round++) {
            StringBuilder text = new StringBuilder(round % 5 == 0 ? "\uFEFF" : "");
            int lines = r.nextInt(1, 30);
            for (int l = 0; l < lines; l++) {
                int len = r.nextInt(r.nextInt(8) == 0 ? 300 : 40);
                for (int i = 0; i < len; i++) {
                    text.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                boolean last = l == lines - 1;
                if (!last || r.nextBoolean()) {
                    text.append(r.nextInt(4) == 0 ? "\r\n" : "\n");
                }
            }
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            int chunk = r.nextInt(16, 200);
            int maxRead = r.nextInt(1, 300);
            assertEquals(reference(text.toString()), read(bytes, chunk, maxRead), "round " + round + ": " + text);
        }
    }

    @Test
    void an_empty_stream_has_no_line_and_a_lone_line_end_one_empty_line() throws Exception {
        assertTrue(read(new byte[0], 16, 16).isEmpty());
        assertEquals(List.of(new Line(List.of(""), true)), read("\n".getBytes(StandardCharsets.UTF_8), 16, 16));
        assertEquals(
                List.of(new Line(List.of("a", "b"), true), new Line(List.of("c"), false)),
                read("a,b\r\nc".getBytes(StandardCharsets.UTF_8), 16, 1));
    }

    @Test
    void a_line_longer_than_a_mebibyte_rejects_the_file() {
        byte[] bytes =
                ("timestamp,kw\n" + "1".repeat(CsvLineReader.MAX_LINE + 10) + "\n").getBytes(StandardCharsets.UTF_8);
        FileRejectedException e = assertThrows(FileRejectedException.class, () -> read(bytes, 1024, 1 << 16));
        assertEquals("line 2 is longer than 1 MiB", e.getMessage());
    }
}
