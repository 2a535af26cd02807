package io.meterflow.app;

import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.Setting;
import java.lang.management.ManagementFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The start-up log, once Camel has started: the address the HTTP server really listens on (and
 * whether the API is open), the inbox, the MQTT subscription when it is on, and how long the start
 * took. The templated flows (scheduled exports, Eniscope accounts, Niagara stations) log a line each
 * as they are created; Camel's own start-up lines are left out (see log4j2.properties).
 */
final class StartupSummary implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger("meterflow");

    private final EngineSettings settings;
    private final boolean keys;

    StartupSummary(EngineSettings settings, boolean keys) {
        this.settings = settings;
        this.keys = keys;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {}

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        String host = context.getPropertiesComponent()
                .resolveProperty("camel.server.host")
                .orElse("0.0.0.0");
        String port = context.getPropertiesComponent()
                .resolveProperty("camel.server.port")
                .orElse("8080");
        String shown = host.equals("0.0.0.0") ? "every interface, port " + port : host;
        if (keys) {
            LOG.info("http: listening on http://{}:{} ({}), API keys required (X-API-Key)", host, port, shown);
        } else {
            LOG.warn(
                    "http: listening on http://{}:{} - the API is open, to this machine only; set {} to serve other"
                            + " hosts",
                    host,
                    port,
                    Setting.API_KEYS.environmentVariable());
        }
        LOG.info(
                "inbox: watching {} ({} threads); database {}",
                settings.ingest().inbox().toAbsolutePath().normalize(),
                settings.ingest().threads(),
                settings.database().url().replaceAll("password=[^;&]*", "password=***"));
        if (settings.mqtt().enabled()) {
            LOG.info(
                    "niagara mqtt: subscribing to {} at {} as {}",
                    settings.mqtt().topic(),
                    settings.mqtt().brokerUrl(),
                    settings.mqtt().clientId());
        }
        LOG.info(
                "meterflow started in {} s: docs at http://{}:{}/docs, metrics at /observe/metrics",
                String.format("%.1f", ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0),
                host.equals("0.0.0.0") ? "127.0.0.1" : host,
                port);
    }
}
