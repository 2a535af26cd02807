package io.meterflow.app;

import io.meterflow.api.ApiDocs;
import io.meterflow.api.HttpResponder;
import io.meterflow.settings.ConfigException;
import io.meterflow.settings.EngineSettings;
import io.meterflow.settings.Setting;
import io.meterflow.source.file.InboxClaims;
import io.meterflow.source.file.InboxScanner;
import io.meterflow.store.Database;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.spi.Registry;
import org.apache.camel.support.EventNotifierSupport;
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
    private static final String METRICS_REGISTRY = "metricsRegistry";

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent properties = context.getPropertiesComponent();
        rejectUnknownSettings(properties);
        EngineSettings settings =
                EngineSettings.from(key -> properties.resolveProperty(key).orElse(null));
        settings.properties().forEach(properties::addOverrideProperty);
        Registry registry = context.getRegistry();
        PrometheusMeterRegistry meters = meterRegistry(registry);
        MicrometerMetrics metrics = new MicrometerMetrics(meters);
        Engine engine = Engine.start(settings, metrics);
        registry.bind(
                "engineGauges",
                new EngineGauges(
                        meters,
                        engine.meterStats(),
                        engine.exportJobs(),
                        engine.niagaraFrames(),
                        engine.mqttSubscriber(),
                        settings.mqtt().enabled(),
                        Clock.systemUTC()));
        registry.bind("engine", engine);
        registry.bind("storeAvailability", engine.availability());
        registry.bind("fileIngestor", engine.fileIngestor());
        registry.bind("doneFolder", engine.doneFolder());
        registry.bind("rawRetention", engine.rawRetention());
        registry.bind("sampleWriter", engine.writer());
        // the inbox's claims: in the database when engines can share it, in memory on an embedded H2
        // (one engine only; its lock rows would only churn the file: twice its size for a month)
        InboxClaims claims;
        if (Database.embedded(settings.database().url())) {
            claims = InboxClaims.inMemory();
        } else {
            InboxLocks locks = new InboxLocks(
                    engine.dataSource(),
                    engine.availability(),
                    context,
                    settings.ingest().readLockMaxAgeMillis());
            context.addService(locks); // started and stopped with Camel: it renews the locks it holds
            claims = locks;
        }
        InboxScanner scanner = new InboxScanner(
                settings.ingest().inbox(),
                engine.fileIngestor(),
                claims,
                settings.ingest().minAgeMillis(),
                settings.ingest().threads());
        registry.bind("inboxScanner", scanner);
        // a scan in progress takes no more files once the engine stops: it settles those it took
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                scanner.stopTaking();
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        });
        registry.bind("niagaraFrames", engine.niagaraFrames());
        registry.bind("mqttSubscriber", engine.mqttSubscriber());
        registry.bind("mqttSessions", engine.mqttSessions());
        registry.bind("niagaraHttpPoller", engine.niagaraHttpPoller());
        registry.bind("eniscopePoller", engine.eniscopePoller());
        registry.bind("exportJobs", engine.exportJobs());
        registry.bind("scheduledExports", engine.scheduledExports());
        Engine.Api api = engine.api();
        registry.bind("httpResponder", api.responder());
        registry.bind("keepHttpMessage", (Processor) HttpResponder::keepHttpMessage);
        registry.bind("health", api.health());
        registry.bind("meterApi", api.meters());
        registry.bind("seriesApi", api.series());
        registry.bind("kpiApi", api.kpis());
        registry.bind("fileApi", api.files());
        registry.bind("consoleAssets", api.console());
        registry.bind("exportApi", api.exports());
        registry.bind("scheduleApi", api.schedules());
        registry.bind("sourcesApi", api.sources());
        registry.bind("apiDocs", new ApiDocs());
        // each MQTT message goes through the niagara-mqtt route before it is acknowledged
        ProducerTemplate producer = context.createProducerTemplate();
        engine.mqttSubscriber().deliverTo((topic, payload) -> {
            metrics.frameReceived();
            producer.sendBodyAndHeader("direct:niagara-frame", payload, "CamelMqttTopic", topic);
        });
        engine.mqttSubscriber().onAcknowledged(metrics::frameAcknowledged);
        // every schedule in Quartz's clustered job store on the engine's database; the scheduler starts
        // with the context: a templated route added later must not be the one that creates it (its first
        // fire would race the route's own registration)
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        quartz.setPrefixInstanceName(false);
        quartz.setProperties(QuartzJobStore.properties(
                engine.dataSource(),
                engine.availability(),
                engine.heartbeats().self().name()));
        registry.bind("quartzFires", new QuartzFires());
        context.addStartupListener(new TemplatedRoutes(engine));
        // after the templated routes, which log a line each: its "started" line comes last
        context.addStartupListener(new StartupSummary(settings, api.keys().enabled()));
        context.addStartupListener(new CorsPolicy(settings.api().corsOrigins()));
        context.addStartupListener(new ApiKeyGuard(api.keys()));
        context.addStartupListener(new SwaggerUi());
        context.addStartupListener(new JsonHttpErrors(properties
                .resolveProperty("camel.server.max-body-size")
                .map(Long::parseLong)
                .orElse(-1L)));
        // last: every route above runs (the templated ones too), so /health may answer healthy
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext c, boolean alreadyStarted) {}

            @Override
            public void onCamelContextFullyStarted(CamelContext c, boolean alreadyStarted) {
                api.health().started();
            }
        });
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                if (scanner.stopAndSettle()) { // every file taken has left the inbox
                    engine.doneFolder().markStopped();
                }
                engine.close();
            }
        });
    }

    /**
     * The registry Camel's metrics service scrapes (bound as {@code metricsRegistry}): the engine's
     * meters go into the same one, whichever of the two is set up first.
     */
    private static PrometheusMeterRegistry meterRegistry(Registry registry) {
        Object existing = registry.lookupByName(METRICS_REGISTRY);
        if (existing instanceof PrometheusMeterRegistry p) {
            return p;
        }
        PrometheusMeterRegistry created = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.bind(METRICS_REGISTRY, created);
        return created;
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
