package io.meterflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs the benchmark's small variant (2 days) against the packaged engine: it fails on a crash or
 * a wrong row count, never on timings.
 */
class BenchmarkSmokeIT {

    @Test
    void the_two_day_benchmark_runs_through_with_the_right_row_counts() throws Exception {
        Process p = new ProcessBuilder("bash", "bench/run", "--days", "2", "--smoke", "--port", "18182")
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "benchmark smoke test timed out");
        System.out.println(output);
        assertEquals(0, p.exitValue(), output);
        assertTrue(output.contains("| ingest: files, rows, CSV bytes | 48 files, 172800 rows,"), output);
        assertTrue(output.contains("bench: OK"), output);
    }
}
