package io.meterflow.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meterflow.source.niagara.History;
import io.meterflow.source.niagara.UnusablePayload;
import io.meterflow.source.niagara.mqtt.NiagaraFrames;

/** MQTT payloads of any bytes: histories of usable rows, or {@link UnusablePayload} with a reason. */
public class NiagaraFramesFuzzTest {

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        try {
            for (History h : NiagaraFrames.parse(data.consumeRemainingAsBytes())) {
                if (h.station() == null || h.historyId() == null) {
                    throw new AssertionError("a history without station or id");
                }
                Invariants.usableRows(h.rows(), "frame row");
            }
        } catch (UnusablePayload expected) {
            Invariants.hasReason(expected);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void any_payload_is_histories_or_unusable(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }
}
