package io.meterflow.config;

import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;

import io.meterflow.Meterflow;
import io.meterflow.api.HealthService;

/**
 * Wires the engine into Camel: starts {@link Meterflow} from the resolved properties and binds
 * the beans the YAML routes call by name ({@code fileIngestor}, {@code health}).
 */
public class MeterflowConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        EngineSettings settings = EngineSettings.from(key -> context.getPropertiesComponent().resolveProperty(key).orElse(null));
        Meterflow meterflow = Meterflow.start(settings);
        context.getRegistry().bind("meterflow", meterflow);
        context.getRegistry().bind("fileIngestor", meterflow.ingestor());
        context.getRegistry().bind("health", new HealthService(meterflow));
        context.addService(new ServiceSupport() {
            @Override
            protected void doStop() {
                meterflow.close();
            }
        });
    }
}
