package io.meterflow.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meterflow.export.ClientContract;
import io.meterflow.export.CompositeExport;
import io.meterflow.export.ExportException;
import io.meterflow.export.ExportLimits;
import io.meterflow.export.ExportRequest;
import io.meterflow.export.ExportRequestParser;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.SignalKindRules;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * Export request bodies of any JSON: a request within the limits, or an {@link ExportException}
 * with a code and a message (a 4xx); never another failure (a 500).
 */
public class ExportRequestParserFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ExportLimits LIMITS = new ExportLimits(Duration.ofDays(366), Duration.ofDays(31), 100);
    private static final ExportRequestParser PARSER = new ExportRequestParser(
            new MeterRegistry(
                    List.of(new Meter("m1", "S-", "Plant", null, null, ZoneId.of("Europe/Berlin"), Map.of(), 10)),
                    ZoneId.of("UTC"),
                    SignalKindRules.builtIn()),
            LIMITS,
            java.time.Clock.systemUTC());

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        Map<String, Object> body;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> parsed = JSON.readValue(data.consumeRemainingAsString(), Map.class);
            body = parsed;
        } catch (JsonProcessingException | ClassCastException notAnObject) {
            return; // refused before the parser as INVALID_BODY
        }
        if (body == null) {
            return;
        }
        try {
            ExportRequest r = PARSER.parse(body, ClientContract.values()[body.size() % 3]);
            if (!r.end().isAfter(r.start())
                    || r.meters().isEmpty()
                    || r.meters().size() > 100) {
                throw new AssertionError("accepted an impossible request: " + body);
            }
            String name = CompositeExport.fileName(r);
            Path folder = Path.of("exports");
            Path file = folder.resolve(name).normalize();
            if (name.contains("/") || name.contains("\\") || !folder.equals(file.getParent())) {
                throw new AssertionError("accepted a file name that leaves its folder: " + name);
            }
        } catch (ExportException expected) {
            if (expected.code() == null || expected.getMessage() == null) {
                throw new AssertionError("an error without code or message", expected);
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    void any_json_object_is_a_request_or_a_clear_error(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }
}
