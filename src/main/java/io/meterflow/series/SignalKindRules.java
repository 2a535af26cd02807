package io.meterflow.series;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides a signal's {@link SignalKind} from its name: configured rules first (in order), then the
 * built-in rules of the smart-meter conventions, then {@link SignalKind#GAUGE}.
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
            Rule.of(".*_interval_kwh", SignalKind.INTERVAL),
            Rule.of(".*_ae", SignalKind.COUNTER),
            Rule.of("fa.*|.*flag|.*errcode|.*alarm.*", SignalKind.ALARM),
            Rule.of(".*_max_.*|.*_max", SignalKind.MAX),
            Rule.of(".*_min_.*|.*_min", SignalKind.MIN));

    private final List<Rule> rules;

    public SignalKindRules(List<Rule> configured) {
        List<Rule> all = new ArrayList<>(configured);
        all.addAll(BUILT_IN);
        this.rules = List.copyOf(all);
    }

    public static SignalKindRules builtIn() {
        return new SignalKindRules(List.of());
    }

    /** The kind of {@code signal} for a meter with the given per-signal overrides. */
    public SignalKind kindOf(String signal, Map<String, SignalKind> meterOverrides) {
        SignalKind override = meterOverrides.get(signal);
        if (override != null) {
            return override;
        }
        for (Rule rule : rules) {
            if (rule.pattern().matcher(signal).matches()) {
                return rule.kind();
            }
        }
        return SignalKind.GAUGE;
    }
}
