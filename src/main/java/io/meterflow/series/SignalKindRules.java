package io.meterflow.series;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides a signal's {@link SignalKind}: a meter's own override first, then the configured rules
 * (in order), then what the source knows of the signal (an energy unit and how its values move,
 * see {@link EnergyKind}), then the built-in rules of the smart-meter conventions, then
 * {@link SignalKind#GAUGE}.
 */
public final class SignalKindRules {

    /** One rule: a signal whose whole name matches {@code pattern} is of {@code kind}. */
    public record Rule(Pattern pattern, SignalKind kind) {
        public static Rule of(String regex, SignalKind kind) {
            return new Rule(Pattern.compile(regex, Pattern.CASE_INSENSITIVE), kind);
        }
    }

    static final List<Rule> BUILT_IN = List.of(
            Rule.of(".*#status", SignalKind.ALARM),
            Rule.of(".*_interval_(kwh|kvarh|kvah)", SignalKind.INTERVAL),
            Rule.of(".*_ae", SignalKind.COUNTER),
            Rule.of("fa.*|.*flag|.*errcode|.*alarm.*", SignalKind.ALARM),
            Rule.of(".*_max_.*|.*_max", SignalKind.MAX),
            Rule.of(".*_min_.*|.*_min", SignalKind.MIN));

    private final List<Rule> configured;

    public SignalKindRules(List<Rule> configured) {
        this.configured = List.copyOf(configured);
    }

    public static SignalKindRules builtIn() {
        return new SignalKindRules(List.of());
    }

    /** The kind of {@code signal} for a meter with the given per-signal overrides. */
    public SignalKind kindOf(String signal, Map<String, SignalKind> meterOverrides) {
        return kindOf(signal, meterOverrides, null);
    }

    /**
     * The kind of {@code signal}, where {@code evidence} is what its source found (the kind of
     * an energy unit's values; null: nothing).
     */
    public SignalKind kindOf(String signal, Map<String, SignalKind> meterOverrides, SignalKind evidence) {
        SignalKind override = meterOverrides.get(signal);
        if (override != null) {
            return override;
        }
        SignalKind kind = match(configured, signal);
        if (kind == null) {
            kind = evidence != null ? evidence : match(BUILT_IN, signal);
        }
        return kind == null ? SignalKind.GAUGE : kind;
    }

    private static SignalKind match(List<Rule> rules, String signal) {
        for (Rule rule : rules) {
            if (rule.pattern().matcher(signal).matches()) {
                return rule.kind();
            }
        }
        return null;
    }
}
