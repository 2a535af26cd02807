package io.meterflow;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate made with the machine's {@code openssl}, as a Niagara station or a
 * broker set up without a CA would present: PEM files for Mosquitto, a PKCS#12 key store for a
 * Java HTTPS server. It names {@code commonName} and, when given, the subject alternative names.
 */
public final class SelfSignedCertificate {

    public static final String PASSWORD = "changeit";

    public final Path certificate;
    public final Path key;
    public final Path keyStore;

    private SelfSignedCertificate(Path dir) {
        this.certificate = dir.resolve("cert.pem");
        this.key = dir.resolve("key.pem");
        this.keyStore = dir.resolve("keystore.p12");
    }

    public static SelfSignedCertificate create(Path dir, String commonName) throws Exception {
        return create(dir, commonName, null);
    }

    /** {@code subjectAltName}: e.g. {@code IP:127.0.0.1}, so that a client checking host names accepts it; null: none. */
    public static SelfSignedCertificate create(Path dir, String commonName, String subjectAltName) throws Exception {
        Files.createDirectories(dir);
        SelfSignedCertificate c = new SelfSignedCertificate(dir);
        List<String> req = new ArrayList<>(List.of(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=" + commonName,
                "-keyout",
                c.key.toString(),
                "-out",
                c.certificate.toString()));
        if (subjectAltName != null) {
            req.addAll(List.of("-addext", "subjectAltName=" + subjectAltName));
        }
        run(dir, req);
        run(
                dir,
                List.of(
                        "openssl",
                        "pkcs12",
                        "-export",
                        "-in",
                        c.certificate.toString(),
                        "-inkey",
                        c.key.toString(),
                        "-name",
                        "server",
                        "-passout",
                        "pass:" + PASSWORD,
                        "-out",
                        c.keyStore.toString()));
        return c;
    }

    private static void run(Path dir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " failed: " + Files.readString(dir.resolve("openssl.log")));
        }
    }

    /** A server-side TLS context presenting this certificate. */
    public SSLContext serverContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        return ssl;
    }
}
