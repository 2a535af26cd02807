package io.meterflow.export.schedule;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends an export file to an HTTP endpoint: the CSV as the body ({@code text/csv}) or as a
 * multipart form field {@code file}; a bearer token from the configured environment variable.
 * A 2xx answer is delivery; anything else, or no answer, is retried with doubling back-off.
 */
public final class HttpDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(HttpDelivery.class);

    /** The outcome: delivered or not, after how many attempts, and the last problem. */
    public record Outcome(boolean delivered, int attempts, String error) {}

    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final int attempts;
    private final long backoffMillis;

    public HttpDelivery(int attempts, long backoffMillis) {
        this.attempts = attempts;
        this.backoffMillis = backoffMillis;
    }

    public Outcome deliver(ScheduledExport.Http http, Path file, String fileName) {
        String error = null;
        long wait = backoffMillis;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            try {
                HttpResponse<String> response =
                        client.send(request(http, file, fileName), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() / 100 == 2) {
                    return new Outcome(true, attempt, null);
                }
                error = "HTTP " + response.statusCode() + " from " + http.url();
            } catch (IOException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage() + " (" + http.url() + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome(false, attempt, "interrupted");
            }
            LOG.warn("export delivery failed attempt={}/{} file={}: {}", attempt, attempts, fileName, error);
            if (attempt < attempts) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Outcome(false, attempt, "interrupted");
                }
                wait *= 2;
            }
        }
        return new Outcome(false, attempts, error);
    }

    private static HttpRequest request(ScheduledExport.Http http, Path file, String fileName) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(http.url())).timeout(Duration.ofSeconds(60));
        http.headers().forEach(b::header);
        if (http.tokenEnv() != null) {
            String token = System.getenv(http.tokenEnv());
            if (token != null && !token.isEmpty()) {
                b.header("Authorization", "Bearer " + token);
            }
        }
        HttpRequest.BodyPublisher body;
        if (http.multipart()) {
            String boundary = "meterflow-" + UUID.randomUUID();
            // streamed: head, the file from disk, tail
            body = HttpRequest.BodyPublishers.concat(
                    HttpRequest.BodyPublishers.ofByteArray(("--" + boundary + "\r\nContent-Disposition: form-data;"
                                    + " name=\"file\"; filename=\"" + fileName + "\"\r\nContent-Type: text/csv\r\n\r\n")
                            .getBytes(StandardCharsets.UTF_8)),
                    HttpRequest.BodyPublishers.ofFile(file),
                    HttpRequest.BodyPublishers.ofByteArray(
                            ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8)));
            b.header("Content-Type", "multipart/form-data; boundary=" + boundary);
        } else {
            body = HttpRequest.BodyPublishers.ofFile(file);
            b.header("Content-Type", "text/csv; charset=utf-8");
            b.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        }
        return b.method(http.method(), body).build();
    }
}
