package io.meterflow.series;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters the engine knows: those configured in {@code config/meters.yaml} and those
 * discovered at run time (a new inbox folder, Niagara station or Eniscope channel) and kept in the
 * meter table across restarts. Thread-safe.
 */
public final class MeterRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MeterRegistry.class);

    private final Map<String, Meter> meters = new ConcurrentHashMap<>();
    private final ZoneId defaultZone;
    private final SignalKindRules kindRules;
    private final List<Consumer<Meter>> listeners = new CopyOnWriteArrayList<>();

    public MeterRegistry(Collection<Meter> configured, ZoneId defaultZone, SignalKindRules kindRules) {
        this.defaultZone = defaultZone;
        this.kindRules = kindRules;
        configured.forEach(m -> meters.put(m.id(), m));
    }

    /** Adds meters registered by an earlier run; a configured meter with the same id wins. */
    public void restore(Collection<Meter> discovered) {
        discovered.forEach(m -> meters.putIfAbsent(m.id(), m));
    }

    /**
     * Called with every meter registered after construction (to persist it), before any other
     * thread can see the meter; a listener that throws leaves the meter unregistered.
     */
    public void onRegistered(Consumer<Meter> listener) {
        listeners.add(listener);
    }

    public Meter find(String id) {
        return meters.get(id);
    }

    public List<Meter> all() {
        List<Meter> list = new ArrayList<>(meters.values());
        list.sort((a, b) -> a.id().compareTo(b.id()));
        return list;
    }

    public ZoneId defaultZone() {
        return defaultZone;
    }

    public SignalKind kindOf(Meter meter, String signal) {
        return kindRules.kindOf(signal, meter.signalKinds());
    }

    /**
     * The meter with this id, registering it with the default timezone when it is new.
     *
     * @throws IllegalArgumentException when {@code id} is not a valid meter id
     */
    public Meter findOrRegister(String id) {
        return findOrRegister(id, key -> Meter.discovered(key, defaultZone));
    }

    /**
     * The meter with this id, registering {@code create.apply(id)} when it is new (a source that
     * knows more about it: its name, site, timezone).
     *
     * @throws IllegalArgumentException when {@code id} is not a valid meter id
     */
    public Meter findOrRegister(String id, Function<String, Meter> create) {
        Meter existing = meters.get(id);
        if (existing != null) {
            return existing;
        }
        MeterId.require(id);
        // the listeners (the meter table) run inside computeIfAbsent: another thread asking for the
        // same id waits until the meter is stored, and a failure registers nothing
        return meters.computeIfAbsent(id, key -> {
            Meter meter = create.apply(key);
            listeners.forEach(l -> l.accept(meter));
            LOG.info("meter registered automatically meter={} timezone={}", id, meter.zone());
            return meter;
        });
    }
}
