package io.meterflow.app;

import io.meterflow.export.schedule.ScheduledExport;
import io.meterflow.source.eniscope.EniscopeAccount;
import io.meterflow.source.niagara.http.NiagaraStation;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerKey;
import org.quartz.impl.matchers.GroupMatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes made from the YAML route templates once Camel has loaded them: one Quartz route per
 * enabled export definition ({@code scheduled-export}), per Eniscope account
 * ({@code eniscope-account}) and per Niagara station ({@code niagara-station}) when that source is
 * enabled. Each is logged with its schedule.
 */
final class TemplatedRoutes implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(TemplatedRoutes.class);

    private final Engine engine;
    private final AtomicBoolean done = new AtomicBoolean();

    TemplatedRoutes(Engine engine) {
        this.engine = engine;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {}

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        if (!done.compareAndSet(false, true)) {
            return; // the routes exist already
        }
        for (ScheduledExport d : engine.scheduledExports().definitions()) {
            if (!d.enabled()) {
                LOG.debug("scheduled export definition={} is disabled", d.name());
                continue;
            }
            add(
                    context,
                    "scheduled-export",
                    "scheduled-export-" + d.name(),
                    Map.of(
                            "name",
                            d.name(),
                            "cron",
                            d.cron(),
                            "timezone",
                            d.zone().getId()));
            LOG.info(
                    "scheduled export definition={} cron='{}' timezone={} next={}",
                    d.name(),
                    d.cron(),
                    d.zone(),
                    engine.scheduledExports().nextFire(d));
        }
        if (engine.settings().eniscope().enabled()) {
            for (EniscopeAccount a : engine.eniscopePoller().accounts()) {
                add(context, "eniscope-account", "eniscope-" + a.name(), Map.of("account", a.name(), "cron", a.cron()));
                LOG.info("eniscope account={} polled cron='{}'", a.name(), a.cron());
            }
        }
        Set<TriggerKey> scheduled = new HashSet<>();
        for (ScheduledExport d : engine.scheduledExports().definitions()) {
            if (d.enabled()) {
                scheduled.add(TriggerKey.triggerKey(d.name(), "exports"));
            }
        }
        if (engine.settings().eniscope().enabled()) {
            engine.eniscopePoller()
                    .accounts()
                    .forEach(a -> scheduled.add(TriggerKey.triggerKey("eniscope-" + a.name(), "sources")));
        }
        if (engine.settings().niagaraHttp().enabled()) {
            engine.niagaraHttpPoller()
                    .stations()
                    .forEach(s -> scheduled.add(TriggerKey.triggerKey("niagara-http-" + s.name(), "sources")));
        }
        forgetOthers(context, scheduled);
        if (engine.settings().niagaraHttp().enabled()) {
            for (NiagaraStation s : engine.niagaraHttpPoller().stations()) {
                add(
                        context,
                        "niagara-station",
                        "niagara-http-" + s.name(),
                        Map.of("station", s.name(), "cron", s.cron()));
                LOG.info("niagara http station={} polled cron='{}'", s.name(), s.cron());
            }
        }
    }

    /**
     * Quartz's store is shared and kept across restarts: the triggers of definitions, accounts and
     * stations no longer configured (removed, disabled) are deleted, or they would fire on.
     */
    private static void forgetOthers(CamelContext context, Set<TriggerKey> scheduled) throws SchedulerException {
        Scheduler scheduler =
                context.getComponent("quartz", QuartzComponent.class).getScheduler();
        for (String group : List.of("exports", "sources")) {
            for (TriggerKey key : scheduler.getTriggerKeys(GroupMatcher.triggerGroupEquals(group))) {
                if (!scheduled.contains(key)) {
                    scheduler.unscheduleJob(key);
                    LOG.info("schedule {} removed: no longer configured", key);
                }
            }
        }
    }

    private static void add(CamelContext context, String template, String routeId, Map<String, String> parameters)
            throws Exception {
        TemplatedRouteBuilder builder =
                TemplatedRouteBuilder.builder(context, template).routeId(routeId);
        parameters.forEach(builder::parameter);
        builder.add();
        if (!context.getRouteController().getRouteStatus(routeId).isStarted()) {
            context.getRouteController().startRoute(routeId);
        }
    }
}
