package io.meterflow.source.niagara.mqtt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.MqttPublish;
import org.eclipse.paho.mqttv5.common.packet.MqttWireMessage;
import org.eclipse.paho.mqttv5.common.packet.util.CountingInputStream;
import org.junit.jupiter.api.Test;

/**
 * The engine's replacement of Paho's {@code CountingInputStream}: packets are read in bulk, every
 * byte read is counted, and Paho decodes what it encoded.
 */
class PahoPacketReadsTest {

    /** A stream that refuses reads of one byte at a time: bulk reads must not fall back to them. */
    private static final class BulkOnly extends InputStream {
        private final ByteArrayInputStream in;
        int bulkReads;

        BulkOnly(byte[] bytes) {
            in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() {
            throw new AssertionError("read one byte at a time");
        }

        @Override
        public int read(byte[] b, int off, int len) {
            bulkReads++;
            return in.read(b, off, len);
        }

        @Override
        public long skip(long n) {
            return in.skip(n);
        }
    }

    @Test
    void readsInBulkAndCountsEveryByte() throws IOException {
        byte[] bytes = new byte[10_000];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        BulkOnly source = new BulkOnly(bytes);
        CountingInputStream counting = new CountingInputStream(source);
        byte[] first = new byte[8_000];
        new DataInputStream(counting).readFully(first);
        assertEquals(1, source.bulkReads);
        assertEquals(8_000, counting.getCounter());
        assertEquals(500, counting.skip(500));
        assertEquals(8_500, counting.getCounter());
        byte[] rest = new byte[2_000];
        assertEquals(1_500, counting.read(rest, 0, rest.length));
        assertEquals(10_000, counting.getCounter());
        assertEquals(-1, counting.read(rest, 0, rest.length)); // the end is not counted
        assertEquals(10_000, counting.getCounter());
        for (int i = 0; i < first.length; i++) {
            assertEquals(bytes[i], first[i]);
        }
        assertEquals(bytes[8_500], rest[0]);

        CountingInputStream single = new CountingInputStream(new ByteArrayInputStream(new byte[] {7, 8}));
        assertEquals(7, single.read());
        assertEquals(8, single.read());
        assertEquals(-1, single.read());
        assertEquals(2, single.getCounter());
        single.resetCounter();
        assertEquals(0, single.getCounter());
    }

    @Test
    void pahoDecodesAFrameItEncoded() throws Exception {
        StringBuilder frame = new StringBuilder("{\"historyData\":[");
        for (int r = 0; r < 100; r++) {
            frame.append(r == 0 ? "" : ",").append("{\"value\":").append(r).append('}');
        }
        byte[] payload = frame.append("]}").toString().getBytes(StandardCharsets.UTF_8);
        MqttMessage message = new MqttMessage(payload);
        message.setQos(1);
        MqttPublish sent = new MqttPublish("niagara/histories", message, new MqttProperties());
        sent.setMessageId(42);
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(sent.getHeader());
        packet.write(sent.getPayload());

        MqttPublish received =
                assertInstanceOf(MqttPublish.class, MqttWireMessage.createWireMessage(packet.toByteArray()));
        assertEquals("niagara/histories", received.getTopicName());
        assertEquals(42, received.getMessageId());
        assertEquals(1, received.getQoS());
        assertArrayEquals(payload, received.getMessage().getPayload());
    }
}
