package io.meterflow.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SpillingOutputTest {

    static final Path DIR = Path.of("target/spilling-output");

    @BeforeEach
    void clean() {
        TestFiles.deleteTree(DIR);
    }

    private static byte[] bytes(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** Writes {@code data} in pieces of varied length, single bytes among them. */
    private static void writeInPieces(SpillingOutput out, byte[] data) throws IOException {
        SplittableRandom r = new SplittableRandom(3);
        int at = 0;
        while (at < data.length) {
            int n = Math.min(data.length - at, r.nextInt(0, 5_000));
            if (n == 1) {
                out.write(data[at]);
            } else {
                out.write(data, at, n);
            }
            at += n;
        }
    }

    private static long filesIn(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    /** {@code data} written in pieces to an output of this memory limit, and closed. */
    private static SpillingOutput written(byte[] data, int limit) throws IOException {
        SpillingOutput out = new SpillingOutput(DIR, limit);
        writeInPieces(out, data);
        out.close();
        return out;
    }

    @Test
    void bytes_up_to_the_limit_stay_in_memory() throws Exception {
        byte[] data = bytes(200_000, 1);
        SpillingOutput out = written(data, 200_000);
        assertFalse(out.spilled());
        assertEquals(200_000, out.size());
        ByteBuffer body = out.memory();
        byte[] read = new byte[body.remaining()];
        body.get(read);
        assertArrayEquals(data, read);
        assertEquals(0, filesIn(DIR), "no file written");
    }

    @Test
    void bytes_beyond_the_limit_go_to_a_file() throws Exception {
        byte[] data = bytes(300_001, 2);
        SpillingOutput out = written(data, 200_000);
        assertTrue(out.spilled());
        assertEquals(300_001, out.size());
        assertEquals(1, filesIn(DIR));
        assertArrayEquals(data, Files.readAllBytes(out.file()), "what was in memory, then the rest");
    }

    @Test
    void discarded_bytes_leave_no_file() throws Exception {
        SpillingOutput out = new SpillingOutput(DIR, 1_000);
        out.write(bytes(5_000, 3), 0, 5_000);
        assertTrue(out.spilled());
        out.discard();
        assertEquals(0, filesIn(DIR));
        SpillingOutput small = new SpillingOutput(DIR, 1_000);
        small.write(bytes(10, 4), 0, 10);
        small.discard();
        assertEquals(0, filesIn(DIR));
    }
}
