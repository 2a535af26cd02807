package io.meterflow.source.niagara;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NiagaraHistoriesTest {

    @Test
    void stations_become_meter_ids_and_histories_signals_within_them() {
        assertEquals("Regency_Plaza", NiagaraHistories.meterId("Regency Plaza"));
        assertEquals(
                "1st$20Floor/Vav1$2d01$20Space$20Temp",
                NiagaraHistories.signal("Regency Plaza", "/Regency$20Plaza/1st$20Floor/Vav1$2d01$20Space$20Temp"));
        assertEquals("MaxSpaceTemp", NiagaraHistories.signal("AmsShop", "/AmsShop/MaxSpaceTemp"));
        assertEquals("Other/x", NiagaraHistories.signal("AmsShop", "/Other/x"));
        assertEquals(0x25, NiagaraStatus.bits("{overridden,disabled,down} @ 8"));
    }
}
