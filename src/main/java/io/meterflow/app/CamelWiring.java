package io.meterflow.app;

import io.meterflow.settings.ConfigException;
import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.Setting;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the engine into Camel: reads and checks the settings, starts the {@link Engine} and binds
 * its parts under the names the YAML routes call. Every {@code meterflow.*} value the routes use
 * in placeholders is the checked one: the settings are put back as override properties.
 */
public class CamelWiring implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(CamelWiring.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        rejectUnknownSettings(properties);
        EngineSettings settings =
                EngineSettings.from(key -> properties.resolveProperty(key).orElse(null));
        settings.properties().forEach(properties::addOverrideProperty);
        Engine engine = Engine.start(settings);
        Registry registry = context.getRegistry();
        registry.bind("engine", engine);
        registry.bind("fileIngestor", engine.fileIngestor());
        registry.bind("niagaraFrames", engine.niagaraFrames());
        registry.bind("mqttSubscriber", engine.mqttSubscriber());
        registry.bind("niagaraHttpPoller", engine.niagaraHttpPoller());
        registry.bind("eniscopePoller", engine.eniscopePoller());
        registry.bind("scheduleClaims", engine.scheduleClaims());
        registry.bind("exportJobs", engine.exportJobs());
        registry.bind("scheduledExports", engine.scheduledExports());
        Engine.Api api = engine.api();
        registry.bind("apiKeys", api.keys());
        registry.bind("httpResponder", api.responder());
        registry.bind("health", api.health());
        registry.bind("meterApi", api.meters());
        registry.bind("seriesApi", api.series());
        registry.bind("exportApi", api.exports());
        registry.bind("scheduleApi", api.schedules());
        registry.bind("sourcesApi", api.sources());
        if (!api.keys().enabled()) {
            LOG.warn("no API keys configured ({}): the API is open to anyone who can reach it", Setting.API_KEYS.key());
        }
        // each MQTT message goes through the niagara-mqtt route before it is acknowledged
        ProducerTemplate producer = context.createProducerTemplate();
        engine.mqttSubscriber()
                .deliverTo((topic, payload) ->
                        producer.sendBodyAndHeader("direct:niagara-frame", payload, "CamelMqttTopic", topic));
        // the Quartz scheduler starts with the context: a templated route added later must not be the one
        // that creates it (its first fire would race the route's own registration)
        context.getComponent("quartz");
        context.addStartupListener(new TemplatedRoutes(engine));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                engine.close();
            }
        });
    }

    /** A misspelt key in a properties file or {@code -D} would silently be ignored: refuse it. */
    private static void rejectUnknownSettings(PropertiesComponent properties) {
        TreeSet<String> keys = new TreeSet<>(properties.loadProperties().stringPropertyNames());
        Properties system = System.getProperties();
        keys.addAll(system.stringPropertyNames());
        var problems = Setting.unknown(keys);
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("; ", problems));
        }
    }
}
