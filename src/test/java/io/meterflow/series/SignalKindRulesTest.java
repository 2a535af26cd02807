package io.meterflow.series;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SignalKindRulesTest {

    private final SignalKindRules rules = SignalKindRules.builtIn();

    @Test
    void built_in_rules_follow_the_smart_meter_conventions() {
        assertEquals(SignalKind.COUNTER, rules.kindOf("pos_ae", Map.of()));
        assertEquals(SignalKind.COUNTER, rules.kindOf("aux_m_neg_ae", Map.of()));
        assertEquals(SignalKind.ALARM, rules.kindOf("fa_overtemp", Map.of()));
        assertEquals(SignalKind.ALARM, rules.kindOf("pcs1_ErrCode", Map.of()));
        assertEquals(SignalKind.ALARM, rules.kindOf("bms1_runFlag", Map.of()));
        assertEquals(SignalKind.MAX, rules.kindOf("bms1_max_cell_v", Map.of()));
        assertEquals(SignalKind.MIN, rules.kindOf("bms1_min_cell_v", Map.of()));
        assertEquals(SignalKind.GAUGE, rules.kindOf("com_ap", Map.of()));
        assertEquals(SignalKind.GAUGE, rules.kindOf("pf", Map.of()));
    }

    @Test
    void meter_overrides_beat_configured_rules_which_beat_built_in_ones() {
        SignalKindRules configured = new SignalKindRules(List.of(SignalKindRules.Rule.of("pos_ae", SignalKind.GAUGE)));
        assertEquals(SignalKind.GAUGE, configured.kindOf("pos_ae", Map.of()));
        assertEquals(SignalKind.INTERVAL, configured.kindOf("pos_ae", Map.of("pos_ae", SignalKind.INTERVAL)));
    }

    @Test
    void meter_ids_are_validated_with_a_reason() {
        assertEquals(null, MeterId.problem("ecc38a217ccc"));
        assertEquals(null, MeterId.problem("site_A-7"));
        assertEquals("meter id is empty", MeterId.problem(""));
        assertEquals("meter id '../etc' may hold only letters, digits, '_' and '-'", MeterId.problem("../etc"));
        assertEquals("meter id is longer than 64 characters", MeterId.problem("a".repeat(65)));
    }
}
