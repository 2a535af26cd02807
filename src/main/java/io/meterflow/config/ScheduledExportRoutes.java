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
    private final java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();

    ScheduledExportRoutes(ScheduledExports exports) {
        this.exports = exports;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
    }

    /**
     * Once everything runs (the YAML route template is loaded): one Quartz route per enabled
     * definition, then the missed windows, in the background.
     */
    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        if (!done.compareAndSet(false, true)) {
            return; // the routes exist already
        }
        for (ScheduledExport d : exports.definitions()) {
            if (!d.enabled()) {
                LOG.info("scheduled export disabled definition={}", d.name());
                continue;
            }
            String id = "scheduled-export-" + d.name();
            TemplatedRouteBuilder.builder(context, "scheduled-export")
                    .routeId(id)
                    .parameter("name", d.name())
                    .parameter("cron", d.cron())
                    .parameter("timezone", d.zone().getId())
                    .add();
            if (!context.getRouteController().getRouteStatus(id).isStarted()) {
                context.getRouteController().startRoute(id);
            }
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
