package io.meterflow.config;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.component.paho.mqtt5.PahoMqtt5Consumer;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the MQTT route back after the broker went away. Paho 1.2.5's own automatic reconnect
 * can hang half-way (its sender thread never starts; seen when Mosquitto restarts), so the route
 * is restarted instead once its client has been disconnected for the grace period: a new client
 * connects with the same id and resumes the broker's persistent session, which redelivers every
 * message not yet acknowledged. Called by a timer route.
 */
public final class MqttConnectionWatchdog {

    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionWatchdog.class);

    private final CamelContext context;
    private final String routeId;
    private final long graceMillis;
    private long downSince;

    public MqttConnectionWatchdog(CamelContext context, String routeId, long graceMillis) {
        this.context = context;
        this.routeId = routeId;
        this.graceMillis = graceMillis;
    }

    public synchronized void check() {
        Route route = context.getRoute(routeId);
        ServiceStatus status = context.getRouteController().getRouteStatus(routeId);
        if (route == null || status == null || !status.isStarted()
                || !(route.getConsumer() instanceof PahoMqtt5Consumer consumer)) {
            downSince = 0;
            return;
        }
        MqttClient client = consumer.getClient();
        if (client != null && client.isConnected()) {
            downSince = 0;
            return;
        }
        long now = System.currentTimeMillis();
        if (downSince == 0) {
            downSince = now;
            return;
        }
        if (now - downSince < graceMillis) {
            return;
        }
        LOG.warn("mqtt route {} disconnected for {} ms: restarting it", routeId, now - downSince);
        downSince = now;
        try {
            context.getRouteController().stopRoute(routeId, 5, java.util.concurrent.TimeUnit.SECONDS);
            context.getRouteController().startRoute(routeId);
            LOG.info("mqtt route {} reconnected", routeId);
        } catch (Exception e) {
            LOG.warn("mqtt route {} could not reconnect yet: {}", routeId, e.toString());
        }
    }
}
