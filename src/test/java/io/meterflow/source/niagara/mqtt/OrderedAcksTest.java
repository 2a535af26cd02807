package io.meterflow.source.niagara.mqtt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class OrderedAcksTest {

    private final List<Integer> sent = new ArrayList<>();
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final OrderedAcks acks = new OrderedAcks((id, qos) -> sent.add(id), sendFailure::set);

    @Test
    void aMessageStoredEarlyWaitsForTheOnesThatArrivedBeforeIt() {
        OrderedAcks.Ticket one = acks.received(1, 1);
        OrderedAcks.Ticket two = acks.received(2, 1);
        OrderedAcks.Ticket three = acks.received(3, 1);

        acks.stored(three);
        acks.stored(two);
        assertEquals(List.of(), sent);
        assertEquals(3, acks.unacknowledged());

        acks.stored(one);
        assertEquals(List.of(1, 2, 3), sent);
        assertEquals(0, acks.unacknowledged());
    }

    @Test
    void afterAFailureNothingMoreIsAcknowledgedOnTheConnection() {
        OrderedAcks.Ticket one = acks.received(1, 1);
        OrderedAcks.Ticket two = acks.received(2, 1);
        OrderedAcks.Ticket three = acks.received(3, 1);

        acks.stored(one);
        acks.failed(); // message 2 could not be stored
        acks.stored(three);
        acks.stored(two);

        assertEquals(List.of(1), sent, "2 and 3 stay with the broker's session and come again");
    }

    @Test
    void aFailedAcknowledgementStopsTheRestAndIsReported() {
        List<Integer> tried = new ArrayList<>();
        OrderedAcks failing = new OrderedAcks(
                (id, qos) -> {
                    tried.add(id);
                    throw new IllegalStateException("connection closed");
                },
                sendFailure::set);
        OrderedAcks.Ticket one = failing.received(1, 1);
        OrderedAcks.Ticket two = failing.received(2, 1);
        failing.stored(two);
        failing.stored(one);

        assertEquals(List.of(1), tried);
        assertTrue(sendFailure.get() instanceof IllegalStateException);
    }
}
