package io.meterflow.source.niagara.mqtt;

import io.meterflow.store.EngineHeartbeats;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persistent MQTT sessions of the engines on one database. Each engine records the client id
 * of its session in table {@code engine}; when an engine dies, the frames the broker keeps for
 * its session (its share of a shared subscription, and those it had not acknowledged) would wait
 * until an engine with that client id came back. A live engine instead takes the dead engine's
 * session ({@link EngineHeartbeats#takeOrphanedMqttSession}), stores the frames it holds and ends
 * it ({@link MqttHistorySubscriber#drain}), so the broker sends the session nothing more.
 */
public final class MqttSessions {

    private static final Logger LOG = LoggerFactory.getLogger(MqttSessions.class);

    /** A session is empty when the broker has sent nothing for this long. */
    static final Duration QUIET = Duration.ofSeconds(2);

    private final EngineHeartbeats engines;
    private final MqttHistorySubscriber subscriber;
    private final String clientId;
    private final AtomicLong framesTaken = new AtomicLong();

    public MqttSessions(EngineHeartbeats engines, MqttHistorySubscriber subscriber, String clientId) {
        this.engines = engines;
        this.subscriber = subscriber;
        this.clientId = clientId;
    }

    /** Frames this engine took from the sessions of stopped engines since it started. */
    public long framesTaken() {
        return framesTaken.get();
    }

    /** Records this engine's session. */
    public void register() {
        engines.holdsMqttSession(clientId);
    }

    /**
     * Empties and ends the sessions of dead engines, one at a time.
     *
     * @return the frames taken from them
     */
    public long drainOrphans() {
        long total = 0;
        Optional<EngineHeartbeats.MqttSession> next;
        while ((next = engines.takeOrphanedMqttSession()).isPresent()) {
            EngineHeartbeats.MqttSession session = next.get();
            try {
                long frames = subscriber.drain(session.clientId(), QUIET);
                LOG.info(
                        "mqtt session of stopped engine {} emptied and ended client={} frames={}",
                        session.engine(),
                        session.clientId(),
                        frames);
                total += frames;
                framesTaken.addAndGet(frames);
            } catch (Exception e) {
                engines.giveBack(session);
                LOG.warn(
                        "mqtt session of stopped engine {} not emptied yet client={}: {}",
                        session.engine(),
                        session.clientId(),
                        e.toString());
                break;
            }
        }
        return total;
    }
}
