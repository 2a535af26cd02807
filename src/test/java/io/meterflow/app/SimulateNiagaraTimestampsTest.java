package io.meterflow.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class SimulateNiagaraTimestampsTest {

    private static final DateTimeFormatter NIAGARA =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSZ").withZone(ZoneOffset.ofHours(-7));

    @Test
    void writesWhatTheFormatterWrites() {
        SimulateNiagaraCommand.Timestamps timestamps = new SimulateNiagaraCommand.Timestamps();
        long[] starts = {
            Instant.parse("2025-03-01T00:00:00Z").toEpochMilli(),
            Instant.parse("2024-12-31T23:59:00.250Z").toEpochMilli(), // year and day change at -07:00
            Instant.parse("2024-02-29T06:59:30.007Z").toEpochMilli(), // leap day, local midnight
            Instant.parse("1969-12-31T23:00:00.999Z").toEpochMilli() // before 1970
        };
        for (long start : starts) {
            for (long ms = start; ms < start + 26 * 3_600_000L; ms += 7_001) {
                StringBuilder sb = new StringBuilder();
                timestamps.append(sb, ms);
                assertEquals(NIAGARA.format(Instant.ofEpochMilli(ms)), sb.toString(), "epoch millisecond " + ms);
            }
        }
    }

    @Test
    void writesSecondsOfOneDayInOrder() {
        SimulateNiagaraCommand.Timestamps timestamps = new SimulateNiagaraCommand.Timestamps();
        StringBuilder sb = new StringBuilder();
        timestamps.append(sb, Instant.parse("2025-01-01T07:00:00Z").toEpochMilli());
        sb.append('|');
        timestamps.append(sb, Instant.parse("2025-01-02T06:59:59Z").toEpochMilli());
        assertEquals("2025-01-01 00:00:00.000-0700|2025-01-01 23:59:59.000-0700", sb.toString());
    }
}
