package io.meterflow.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meterflow.ingest.RowSink;
import io.meterflow.ingest.TimestampFormats;
import io.meterflow.source.file.FileContext;
import io.meterflow.source.file.FileRejectedException;
import io.meterflow.source.file.MeterCsvParser;
import io.meterflow.source.file.ParseStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.ZoneId;
import java.util.List;

/**
 * Meter CSV files of any bytes: the parser rejects a file with {@link FileRejectedException} or
 * hands on rows whose timestamps are sane and whose values are empty or usable; nothing else.
 */
public class MeterCsvParserFuzzTest {

    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws IOException {
        ZoneId zone = data.consumeBoolean() ? ZoneId.of("America/New_York") : ZoneId.of("UTC");
        // a meter whose files have no header row names their columns in meters.yaml
        List<String> configured = data.consumeBoolean() ? List.of("mtu", "timestamp", "kw", "cost") : List.of();
        byte[] file = data.consumeRemainingAsBytes();
        int[] columns = {-1};
        RowSink sink = new RowSink() {
            @Override
            public void columns(String[] signals) {
                columns[0] = signals.length;
                for (String s : signals) {
                    if (s == null || s.isEmpty() || s.length() > 255) {
                        throw new AssertionError("bad signal name: " + s);
                    }
                }
            }

            @Override
            public void row(long epochMillis, double[] values) {
                Invariants.sane(epochMillis, "row");
                if (values.length < columns[0]) {
                    throw new AssertionError("row of " + values.length + " values for " + columns[0] + " columns");
                }
                for (int i = 0; i < columns[0]; i++) {
                    Invariants.emptyOrUsable(values[i], "column " + i);
                }
            }
        };
        try {
            MeterCsvParser.parse(
                    new ByteArrayInputStream(file),
                    new FileContext(zone, TimestampFormats.DEFAULT, configured, "Vav1$2d01$20Space$20Temp.csv"),
                    sink,
                    new ParseStats());
        } catch (FileRejectedException expected) {
            Invariants.hasReason(expected);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void any_bytes_are_parsed_or_rejected_with_a_reason(FuzzedDataProvider data) throws IOException {
        fuzzerTestOneInput(data);
    }
}
