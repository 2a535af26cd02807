package io.meterflow.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.meterflow.ingest.TimestampFormats;
import io.meterflow.ingest.TimestampParser;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/** Timestamp texts of any characters: an instant of a sane year, or INVALID; never an exception. */
public class TimestampParserFuzzTest {

    private static final ZoneId[] ZONES = {
        ZoneId.of("UTC"), ZoneId.of("America/New_York"), ZoneId.of("Europe/Berlin"), ZoneId.of("Australia/Lord_Howe")
    };

    /** Month names in three languages and a pattern of one's own, as meterflow.timestamps.* may set them. */
    private static final TimestampFormats FORMATS =
            TimestampFormats.of(List.of("dd.MM.yy HH:mm:ss"), List.of(Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH));

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        ZoneId zone = ZONES[data.consumeInt(0, ZONES.length - 1)];
        TimestampParser parser = data.consumeBoolean()
                ? new TimestampParser(zone)
                : new TimestampParser(zone, FORMATS, data.consumeBoolean());
        while (data.remainingBytes() > 0) {
            long t = parser.parse(data.consumeString(64));
            if (t != TimestampParser.INVALID) {
                Invariants.sane(t, "timestamp");
            }
        }
    }

    @FuzzTest(maxDuration = "10s")
    void any_text_is_an_instant_or_invalid(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }
}
