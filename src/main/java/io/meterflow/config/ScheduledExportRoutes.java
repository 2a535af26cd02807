package io.meterflow.config;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.meterflow.export.ScheduledExport;
import io.meterflow.export.ScheduledExports;

/**
 * Once Camel has started (and so has loaded the {@code scheduled-export} route template of
 * {@code routes/scheduled-exports.camel.yaml}), creates one Quartz route per enabled export
 * definition, then exports, once, the windows missed while the engine was down.
 */
final class ScheduledExportRoutes implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledExportRoutes.class);

    private final ScheduledExports exports;

    ScheduledExportRoutes(ScheduledExports exports) {
        this.exports = exports;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        for (ScheduledExport d : exports.definitions()) {
            if (!d.enabled()) {
                LOG.info("scheduled export disabled definition={}", d.name());
                continue;
            }
            TemplatedRouteBuilder.builder(context, "scheduled-export")
                    .routeId("scheduled-export-" + d.name())
                    .parameter("name", d.name())
                    .parameter("cron", d.cron())
                    .parameter("timezone", d.zone().getId())
                    .add();
            LOG.info("scheduled export definition={} cron='{}' timezone={} next={}", d.name(), d.cron(), d.zone(),
                    exports.nextFire(d));
        }
        Thread catchUp = new Thread(() -> {
            try {
                exports.catchUp();
            } catch (RuntimeException e) {
                LOG.warn("scheduled export catch-up failed: {}", e.toString());
            }
        }, "export-catch-up");
        catchUp.setDaemon(true);
        catchUp.start();
    }
}
