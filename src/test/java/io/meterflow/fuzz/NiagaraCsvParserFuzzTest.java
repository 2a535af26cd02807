package io.meterflow.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meterflow.source.niagara.HistoryRow;
import io.meterflow.source.niagara.UnusablePayload;
import io.meterflow.source.niagara.http.NiagaraCsvParser;
import java.time.ZoneId;

/** Niagara history CSV exports of any text: usable rows, or {@link UnusablePayload}. */
public class NiagaraCsvParserFuzzTest {

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        ZoneId zone = data.consumeBoolean() ? ZoneId.of("America/Chicago") : ZoneId.of("UTC");
        try {
            for (HistoryRow r : NiagaraCsvParser.parse(data.consumeRemainingAsString(), zone)
                    .rows()) {
                Invariants.sane(r.millis(), "CSV row");
                Invariants.usable(r.value(), "CSV row");
            }
        } catch (UnusablePayload expected) {
            Invariants.hasReason(expected);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void any_text_is_rows_or_unusable(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }
}
