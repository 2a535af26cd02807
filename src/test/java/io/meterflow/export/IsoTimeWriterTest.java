package io.meterflow.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.meterflow.series.IsoTimes;
import java.time.Instant;
import java.time.ZoneId;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimeWriterTest {

    private static String written(IsoTimeWriter w, Instant t) {
        CsvBytes out = new CsvBytes(8);
        w.append(out, t);
        return out.toString();
    }

    @Test
    void writes_what_the_formatter_writes_across_dst_days_odd_offsets_and_centuries() {
        String[] zones = {
            "America/New_York",
            "UTC",
            "Asia/Kolkata",
            "Australia/Eucla",
            "Europe/London",
            "Pacific/Chatham",
            "America/St_Johns",
            "Asia/Kathmandu"
        };
        SplittableRandom r = new SplittableRandom(23);
        for (String z : zones) {
            ZoneId zone = ZoneId.of(z);
            IsoTimeWriter w = new IsoTimeWriter(zone);
            // minute by minute through the 2025 spring-forward and fall-back days of most zones
            for (long s = Instant.parse("2025-03-08T00:00:00Z").getEpochSecond();
                    s < Instant.parse("2025-03-11T00:00:00Z").getEpochSecond();
                    s += 60) {
                Instant t = Instant.ofEpochSecond(s);
                assertEquals(IsoTimes.format(t, zone), written(w, t), z + " " + t);
            }
            for (long s = Instant.parse("2025-10-25T00:00:00Z").getEpochSecond();
                    s < Instant.parse("2025-11-04T00:00:00Z").getEpochSecond();
                    s += 900) {
                Instant t = Instant.ofEpochSecond(s);
                assertEquals(IsoTimes.format(t, zone), written(w, t), z + " " + t);
            }
            // anywhere from 1800 (local mean time offsets with seconds) to 2200, in any order
            for (int i = 0; i < 20_000; i++) {
                Instant t = Instant.ofEpochSecond(r.nextLong(-5_364_662_400L, 7_258_118_400L));
                assertEquals(IsoTimes.format(t, zone), written(w, t), z + " " + t);
            }
        }
    }
}
