package io.meterflow.source.niagara.mqtt;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Acknowledgements of one connection's messages, sent in the order the messages arrived (MQTT
 * requires PUBACKs in receive order) although they are stored in parallel: a message stored
 * early waits until every message that arrived before it is stored. Once one message fails, no
 * further acknowledgement is sent on this connection: the caller drops the connection, and the
 * broker delivers every unacknowledged message again (writes are idempotent).
 */
final class OrderedAcks {

    /** One received message; {@code done} once its data is committed. */
    static final class Ticket {
        private final int messageId;
        private final int qos;
        private boolean done;

        private Ticket(int messageId, int qos) {
            this.messageId = messageId;
            this.qos = qos;
        }
    }

    /** Sends the acknowledgement of a message, given its id and QoS. */
    @FunctionalInterface
    interface Sender {
        void ack(int messageId, int qos) throws Exception;
    }

    private final ArrayDeque<Ticket> waiting = new ArrayDeque<>();
    private final Sender sender;
    private final Consumer<Exception> onSendFailure;
    private boolean failed;

    OrderedAcks(Sender sender, Consumer<Exception> onSendFailure) {
        this.sender = sender;
        this.onSendFailure = onSendFailure;
    }

    /** Registers a message as it arrives (in arrival order). */
    synchronized Ticket received(int messageId, int qos) {
        Ticket t = new Ticket(messageId, qos);
        waiting.addLast(t);
        return t;
    }

    /** Marks a message stored and sends every acknowledgement that no earlier message holds back. */
    synchronized void stored(Ticket t) {
        t.done = true;
        while (!failed && !waiting.isEmpty() && waiting.peekFirst().done) {
            Ticket head = waiting.pollFirst();
            try {
                sender.ack(head.messageId, head.qos);
            } catch (Exception e) {
                failed = true;
                onSendFailure.accept(e);
            }
        }
    }

    /** A message could not be stored: nothing more is acknowledged on this connection. */
    synchronized void failed() {
        failed = true;
    }

    /** Messages received and not yet acknowledged. */
    synchronized int unacknowledged() {
        return waiting.size();
    }
}
