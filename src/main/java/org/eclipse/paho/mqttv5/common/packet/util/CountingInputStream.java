package org.eclipse.paho.mqttv5.common.packet.util;

import java.io.IOException;
import java.io.InputStream;

/**
 * Meterflow's replacement for the Paho MQTT v5 client's class of this name (client 1.2.5, the
 * latest release): an input stream that counts the bytes read through it, which Paho's packet
 * decoder uses to know how much of a packet is left.
 *
 * <p>Paho's own class overrides only {@link #read()}, so every bulk read of a packet (its payload,
 * twice per received PUBLISH) went through {@link InputStream#read(byte[], int, int)}'s default loop
 * of one synchronized {@code ByteArrayInputStream.read()} per byte: a warm engine storing MQTT
 * frames of 100 rows used three times the CPU it uses with this class, which passes bulk reads and
 * skips through and counts them. It has the same constructor and public methods; the build leaves
 * Paho's class out of the jar ({@code pom.xml}, the shade plugin's filters), and on the test class
 * path the project's classes come first.
 */
public class CountingInputStream extends InputStream {

    private final InputStream inputStream;
    private int counter;

    public CountingInputStream(InputStream inputStream) {
        this.inputStream = inputStream;
    }

    @Override
    public int read() throws IOException {
        int b = inputStream.read();
        if (b != -1) {
            counter++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = inputStream.read(b, off, len);
        if (n > 0) {
            counter += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = inputStream.skip(n);
        if (skipped > 0) {
            counter += (int) skipped;
        }
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return inputStream.available();
    }

    /** The bytes read (and skipped) since this stream was made or {@link #resetCounter} was called. */
    public int getCounter() {
        return counter;
    }

    public void resetCounter() {
        counter = 0;
    }
}
