import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small closed-loop load generator for bench/run: N clients, each sending one request after the
 * other for a fixed time. Prints one line of key=value figures.
 *
 *   java bench/Load.java URL [--clients 16] [--seconds 10] [--post JSON]
 */
public class Load {

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int clients = 16;
        double seconds = 10;
        String body = null;
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--clients" -> clients = Integer.parseInt(args[++i]);
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--post" -> body = args[++i];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        HttpRequest request = body == null
                ? b.GET().build()
                : b.header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<long[]> latencies = new ArrayList<>();
        Map<Integer, AtomicLong> statuses = new TreeMap<>();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            long[] mine = new long[1 << 20];
            latencies.add(mine);
            Thread t = new Thread(() -> {
                int n = 0;
                while (System.nanoTime() < end && n < mine.length - 1) {
                    long start = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        synchronized (statuses) {
                            statuses.computeIfAbsent(r.statusCode(), k -> new AtomicLong()).incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    mine[++n] = System.nanoTime() - start;
                }
                mine[0] = n;
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - t0) / 1e9;
        int total = latencies.stream().mapToInt(l -> (int) l[0]).sum();
        long[] all = new long[total];
        int at = 0;
        for (long[] l : latencies) {
            System.arraycopy(l, 1, all, at, (int) l[0]);
            at += (int) l[0];
        }
        Arrays.sort(all);
        StringBuilder out = new StringBuilder();
        out.append(String.format(
                "requests=%d rps=%.0f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f errors=%d",
                total,
                total / elapsed,
                ms(all, 0.50),
                ms(all, 0.99),
                total == 0 ? 0 : all[total - 1] / 1e6,
                errors.get()));
        statuses.forEach((status, n) -> out.append(" status_").append(status).append('=').append(n.get()));
        System.out.println(out);
    }

    private static double ms(long[] sorted, double quantile) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
