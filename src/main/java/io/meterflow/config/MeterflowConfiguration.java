package io.meterflow.config;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.support.service.ServiceSupport;

import io.meterflow.Meterflow;
import io.meterflow.api.HealthService;
import io.meterflow.api.HttpResponder;
import io.meterflow.api.SourcesApi;
import io.meterflow.ingest.MqttHistorySubscriber;
import io.meterflow.store.EniscopeChannels;
import io.meterflow.store.EniscopeReferences;
import io.meterflow.store.ScheduleClaims;

/**
 * Wires the engine into Camel: starts {@link Meterflow} from the resolved properties and binds
 * the beans the YAML routes call by name ({@code fileIngestor}, {@code health}).
 */
public class MeterflowConfiguration implements CamelConfiguration {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MeterflowConfiguration.class);

    /** The MQTT subscription; each message goes through the niagara-mqtt route before it is acknowledged. */
    private static MqttHistorySubscriber mqttSubscriber(CamelContext context, MqttHistorySubscriber.Settings settings) {
        ProducerTemplate producer = context.createProducerTemplate();
        return new MqttHistorySubscriber(settings,
                (topic, payload) -> producer.sendBodyAndHeader("direct:niagara-frame", payload, "CamelMqttTopic", topic));
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        EngineSettings settings = EngineSettings.from(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        Meterflow meterflow = Meterflow.start(settings);
        context.getRegistry().bind("meterflow", meterflow);
        context.getRegistry().bind("fileIngestor", meterflow.ingestor());
        context.getRegistry().bind("health", new HealthService(meterflow));
        context.getRegistry().bind("meterApi", meterflow.meterApi());
        context.getRegistry().bind("exportApi", meterflow.exportApi());
        context.getRegistry().bind("seriesApi", meterflow.seriesApi());
        context.getRegistry().bind("exportJobs", meterflow.exportJobs());
        context.getRegistry().bind("apiKeys", meterflow.apiKeys());
        context.getRegistry().bind("httpResponder", new HttpResponder());
        if (!meterflow.apiKeys().enabled()) {
            LOG.warn("no API keys configured (meterflow.api.keys): the API is open to anyone who can reach it");
        }
        meterflow.exportJobs().recover();
        context.getRegistry().bind("scheduledExports", meterflow.scheduledExports());
        context.getRegistry().bind("niagaraHistories", meterflow.niagaraHistories());
        context.getRegistry().bind("eniscopePoller", meterflow.eniscopePoller());
        context.getRegistry().bind("niagaraHttpPoller", meterflow.niagaraHttpPoller());
        context.getRegistry().bind("scheduleClaims", new ScheduleClaims(meterflow.store().dataSource()));
        if (settings.mqtt().enabled()) {
            MqttHistorySubscriber subscriber = mqttSubscriber(context, settings.mqtt().subscription());
            context.getRegistry().bind("mqttSubscriber", subscriber);
            context.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext ctx, boolean alreadyStarted) {
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext ctx, boolean alreadyStarted) {
                    subscriber.start(); // the direct:niagara-frame route is ready now
                }
            });
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() {
                    subscriber.close();
                }
            });
        }
        context.getRegistry().bind("sourcesApi", new SourcesApi(meterflow.deadLetters(), meterflow.niagaraHistories(),
                meterflow.eniscopePoller(), new EniscopeChannels(meterflow.store().dataSource()),
                new EniscopeReferences(meterflow.store().dataSource())));
        context.getRegistry().bind("scheduleApi", meterflow.scheduleApi());
        context.addStartupListener(new ScheduledExportRoutes(meterflow.scheduledExports()));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                meterflow.close();
            }
        });
    }
}
