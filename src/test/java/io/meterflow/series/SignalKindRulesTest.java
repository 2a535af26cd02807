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
    void what_the_data_shows_comes_after_overrides_and_configured_rules_and_before_built_in_names() {
        SignalKindRules configured = new SignalKindRules(List.of(SignalKindRules.Rule.of("ep_.*", SignalKind.GAUGE)));
        assertEquals(SignalKind.GAUGE, configured.kindOf("Ep_Imp", Map.of(), SignalKind.COUNTER));
        assertEquals(
                SignalKind.INTERVAL,
                configured.kindOf("Ep_Imp", Map.of("Ep_Imp", SignalKind.INTERVAL), SignalKind.COUNTER));
        // "Facility" would be an alarm by the fa* name rule; its kWh unit says energy
        assertEquals(SignalKind.COUNTER, rules.kindOf("Facility", Map.of(), SignalKind.COUNTER));
        assertEquals(SignalKind.ALARM, rules.kindOf("Facility", Map.of(), null));
        assertEquals(SignalKind.INTERVAL, rules.kindOf("RE_interval_kvarh", Map.of()));
    }

    @Test
    void energy_that_never_falls_is_a_register_and_energy_that_rises_and_falls_is_per_interval() {
        assertEquals(SignalKind.COUNTER, EnergyKind.of(new double[] {10.5, 10.5, 11.25, Double.NaN, 12}, 5));
        assertEquals(SignalKind.COUNTER, EnergyKind.of(new double[] {8421.337, 8421.337, 8421.337}, 3), "at rest");
        assertEquals(SignalKind.INTERVAL, EnergyKind.of(new double[] {1.52, 1.61, 1.40}, 3));
        assertEquals(SignalKind.INTERVAL, EnergyKind.of(new double[] {0, 0, 0}, 3), "nothing used");
        assertEquals(SignalKind.INTERVAL, EnergyKind.of(new double[] {5}, 1), "one value says nothing");
    }

    @Test
    void units_are_normalised_to_kwh_and_kw_and_other_units_kept_as_written() {
        assertEquals(new Unit("kWh", -3, Unit.Quantity.ENERGY), Unit.of("Wh"));
        assertEquals(new Unit("kWh", 0, Unit.Quantity.ENERGY), Unit.of("kWhs"));
        assertEquals(new Unit("kWh", 3, Unit.Quantity.ENERGY), Unit.of("MWh"));
        assertEquals(new Unit("kvarh", -3, Unit.Quantity.ENERGY), Unit.of("VArh"));
        assertEquals(new Unit("kW", -3, Unit.Quantity.POWER), Unit.of("W"));
        assertEquals(new Unit("kvar", -3, Unit.Quantity.POWER), Unit.of("VAr"));
        assertEquals(new Unit("kWh", 0, Unit.Quantity.ENERGY), Unit.of("obix:units/kilowatt_hour"));
        assertEquals(new Unit("°C", 0, Unit.Quantity.OTHER), Unit.of("oC"));
        assertEquals(new Unit("°F", 0, Unit.Quantity.OTHER), Unit.of("°F"));
        assertEquals(null, Unit.of("obix:units/null"));
        assertEquals(null, Unit.known("mWh"), "milli, not mega: not guessed");
        assertEquals(1.2345, Unit.of("Wh").convert(1234.5));
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
