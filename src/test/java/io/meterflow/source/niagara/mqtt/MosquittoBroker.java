package io.meterflow.source.niagara.mqtt;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Mosquitto broker (the machine's {@code mosquitto} binary) run by a test on its own port,
 * with persistence in a temporary folder, so that the test can stop and restart it.
 */
public final class MosquittoBroker implements TestBroker {

    private static final String BINARY = "/usr/sbin/mosquitto";

    private final Path dir;
    private final int port;
    private final boolean tls;
    private Process process;

    public MosquittoBroker(Path dir, int port) throws IOException {
        this(dir, port, "", "allow_anonymous true\n");
    }

    /**
     * {@code listenerOptions} follow the listener line (certfile, keyfile); {@code accessOptions}
     * say who may connect (allow_anonymous, password_file).
     */
    public MosquittoBroker(Path dir, int port, String listenerOptions, String accessOptions) throws IOException {
        this.dir = dir;
        this.port = port;
        this.tls = listenerOptions.contains("certfile");
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("mosquitto.conf"),
                "listener " + port + " 127.0.0.1\n"
                        + listenerOptions
                        + accessOptions
                        // run as root, mosquitto would switch to its own user and could not write here
                        + "user " + System.getProperty("user.name") + "\n"
                        + "persistence true\n"
                        + "persistence_location " + dir.toAbsolutePath() + "/\n"
                        + "autosave_interval 1\n"
                        + "max_queued_messages 100000\n"
                        + "log_type all\n"
                        + "log_dest file " + dir.toAbsolutePath().resolve("broker.log") + "\n");
    }

    @Override
    public String url() {
        return (tls ? "ssl" : "tcp") + "://127.0.0.1:" + port;
    }

    /** Writes a Mosquitto password file with one user (mosquitto_passwd hashes the password). */
    public static Path passwordFile(Path dir, String user, String password) throws Exception {
        Files.createDirectories(dir);
        Path file = dir.resolve("passwords");
        Process p = new ProcessBuilder("mosquitto_passwd", "-b", "-c", file.toString(), user, password)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("passwd.log").toFile())
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("mosquitto_passwd failed: " + Files.readString(dir.resolve("passwd.log")));
        }
        return file;
    }

    @Override
    public MosquittoBroker start() throws Exception {
        process = new ProcessBuilder(BINARY, "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile())
                .start();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .alias("mosquitto listening on " + port)
                .until(() -> {
                    try (Socket ignored = new Socket("127.0.0.1", port)) {
                        return true;
                    } catch (IOException e) {
                        return false;
                    }
                });
        return this;
    }

    /** Stops the broker as a service stop would (SIGTERM: it saves its persistent state). */
    @Override
    public void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
            process = null;
        }
    }
}
