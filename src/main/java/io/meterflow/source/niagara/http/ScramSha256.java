package io.meterflow.source.niagara.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) without channel binding, as Niagara 4's
 * login runs it: {@code n,,n=<user>,r=<client nonce>}, the station's {@code r=,s=,i=}, then
 * {@code c=biws,r=<nonce>,p=<proof>} and the station's {@code v=<signature>}. One instance per
 * login.
 */
final class ScramSha256 {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String user;
    private final String password;
    private final String clientNonce;
    private String authMessage;
    private byte[] saltedPassword;

    ScramSha256(String user, String password) {
        this(user, password, nonce());
    }

    ScramSha256(String user, String password, String clientNonce) {
        this.user = user.replace("=", "=3D").replace(",", "=2C");
        this.password = password;
        this.clientNonce = clientNonce;
    }

    private static String nonce() {
        byte[] b = new byte[18];
        RANDOM.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    String clientFirstBare() {
        return "n=" + user + ",r=" + clientNonce;
    }

    /** The client-first-message: the GS2 header {@code n,,} and the bare message. */
    String clientFirstMessage() {
        return "n,," + clientFirstBare();
    }

    /**
     * The client-final-message for the station's server-first-message.
     *
     * @throws IllegalArgumentException when that message is not one (or its nonce is not ours extended)
     */
    String clientFinalMessage(String serverFirst) {
        String nonce = attribute(serverFirst, 'r');
        String salt = attribute(serverFirst, 's');
        String iterations = attribute(serverFirst, 'i');
        if (nonce == null || salt == null || iterations == null) {
            throw new IllegalArgumentException("the station's answer is not a SCRAM server-first-message");
        }
        if (!nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new IllegalArgumentException("the station's nonce does not extend ours");
        }
        int i;
        try {
            i = Integer.parseInt(iterations);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the station's iteration count is not a number: " + iterations);
        }
        if (i < 1 || i > 10_000_000) {
            throw new IllegalArgumentException("the station's iteration count is out of range: " + i);
        }
        byte[] saltBytes;
        try {
            saltBytes = Base64.getDecoder().decode(salt);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the station's salt is not base64");
        }
        String withoutProof = "c=biws,r=" + nonce;
        authMessage = clientFirstBare() + "," + serverFirst + "," + withoutProof;
        saltedPassword = hi(password, saltBytes, i);
        byte[] clientKey = hmac(saltedPassword, "Client Key");
        byte[] storedKey = sha256(clientKey);
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int k = 0; k < proof.length; k++) {
            proof[k] = (byte) (clientKey[k] ^ signature[k]);
        }
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** Whether the station's server-final-message ({@code v=...}) proves it knows the password. */
    boolean verifyServerFinal(String serverFinal) {
        String v = attribute(serverFinal, 'v');
        if (v == null || authMessage == null) {
            return false;
        }
        byte[] expected = hmac(hmac(saltedPassword, "Server Key"), authMessage);
        try {
            return MessageDigest.isEqual(expected, Base64.getDecoder().decode(v));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The value of {@code name=} in a comma-separated SCRAM message, or null. */
    static String attribute(String message, char name) {
        for (String part : message.split(",")) {
            if (part.length() >= 2 && part.charAt(0) == name && part.charAt(1) == '=') {
                return part.substring(2);
            }
        }
        return null;
    }

    static byte[] hi(String password, byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
