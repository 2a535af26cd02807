package io.meterflow.ingest;

import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.store.SeriesCatalog;

/**
 * Registers a source's series with what it knows of them (unit, the kind its data shows, display
 * name) before its rows are written, so that a new series is created with the right kind and
 * every series carries its unit. A series that exists keeps its kind; its unit is updated when
 * the source names another one.
 */
public final class SeriesRegistrar {

    private final MeterRegistry registry;
    private final SeriesCatalog catalog;

    public SeriesRegistrar(MeterRegistry registry, SeriesCatalog catalog) {
        this.registry = registry;
        this.catalog = catalog;
    }

    /** Registers {@code signals[i]} of {@code meter} as {@code descriptions[i]} says (a null entry: skipped). */
    public void register(Meter meter, String[] signals, SignalDescription[] descriptions) {
        for (int i = 0; i < signals.length && i < descriptions.length; i++) {
            if (descriptions[i] != null) {
                register(meter, signals[i], descriptions[i]);
            }
        }
    }

    /** Registers one signal; its series id. */
    public long register(Meter meter, String signal, SignalDescription d) {
        return catalog.idFor(
                meter.id(), signal, registry.kindOf(meter, signal, d.kindEvidence()), d.displayName(), d.unit());
    }

    /**
     * A sink that registers the signals the parser describes, then hands everything on to
     * {@code target} (the write batch), display names included.
     */
    public RowSink describing(Meter meter, HourlyBatcher target) {
        return new RowSink() {
            private String[] signals;

            @Override
            public void columns(String[] s) {
                signals = s;
                target.columns(s);
            }

            @Override
            public void describe(SignalDescription[] descriptions) {
                register(meter, signals, descriptions);
                String[] names = new String[signals.length];
                boolean any = false;
                for (int i = 0; i < names.length && i < descriptions.length; i++) {
                    names[i] = descriptions[i] == null ? null : descriptions[i].displayName();
                    any |= names[i] != null;
                }
                if (any) {
                    target.displayNames(names);
                }
            }

            @Override
            public void row(long epochMillis, double[] values) {
                target.row(epochMillis, values);
            }
        };
    }
}
