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
 * meter table across restarts. Engines sharing a database see each other's meters: an id this
 * registry does not hold is looked up in the table ({@link #readThrough}) before it is unknown or
 * registered anew, and {@link #restore} is called again every few seconds. Thread-safe.
 */
public final class MeterRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(MeterRegistry.class);

    private final Map<String, Meter> meters = new ConcurrentHashMap<>();
    private final ZoneId defaultZone;
    private final SignalKindRules kindRules;
    private final List<Consumer<Meter>> listeners = new CopyOnWriteArrayList<>();
    private volatile Function<String, Meter> stored = id -> null;

    public MeterRegistry(Collection<Meter> configured, ZoneId defaultZone, SignalKindRules kindRules) {
        this.defaultZone = defaultZone;
        this.kindRules = kindRules;
        configured.forEach(m -> meters.put(m.id(), m));
    }

    /**
     * Adds meters registered by an earlier run or another engine; a meter already known wins.
     *
     * @return how many were new
     */
    public int restore(Collection<Meter> discovered) {
        int added = 0;
        for (Meter m : discovered) {
            if (meters.putIfAbsent(m.id(), m) == null) {
                added++;
            }
        }
        return added;
    }

    /** Where an id this registry does not hold is looked up (the meter table): returns the meter or null. */
    public void readThrough(Function<String, Meter> lookup) {
        this.stored = lookup;
    }

    /**
     * Called with every meter registered after construction (to persist it), before any other
     * thread can see the meter; a listener that throws leaves the meter unregistered.
     */
    public void onRegistered(Consumer<Meter> listener) {
        listeners.add(listener);
    }

    /** The meter with this id, or null when neither this registry nor the meter table knows it. */
    public Meter find(String id) {
        Meter m = meters.get(id);
        if (m != null || id == null || MeterId.problem(id) != null) {
            return m;
        }
        Meter elsewhere = stored.apply(id);
        return elsewhere == null ? null : meters.computeIfAbsent(id, k -> elsewhere);
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

    /** The kind of a signal whose source found {@code evidence} (see {@link SignalKindRules}; null: nothing). */
    public SignalKind kindOf(Meter meter, String signal, SignalKind evidence) {
        return kindRules.kindOf(signal, meter.signalKinds(), evidence);
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
        existing = find(id); // another engine's
        if (existing != null) {
            return existing;
        }
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
