package io.meterflow.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.UnusablePayload;
import io.meterflow.source.niagara.http.ObixHistoryParser;

/** oBIX history answers of any bytes: usable rows, or {@link UnusablePayload}; never another failure. */
public class ObixHistoryParserFuzzTest {

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        try {
            for (HistoryRow r :
                    ObixHistoryParser.parse(data.consumeRemainingAsBytes()).rows()) {
                Invariants.sane(r.millis(), "oBIX row");
                Invariants.usable(r.value(), "oBIX row");
            }
        } catch (UnusablePayload expected) {
            Invariants.hasReason(expected);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void any_body_is_rows_or_unusable(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }
}
