package io.meterflow.source.niagara.http;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

/**
 * One station of {@code niagara-http.yaml}: when to poll it, how to reach it, its zone (history
 * CSVs carry only a zone abbreviation), how far a first poll reaches back, and its histories.
 */
public record NiagaraStation(
        String name, String cron, ZoneId zone, Connection connection, int backfillDays, List<PolledHistory> histories) {

    public NiagaraStation {
        histories = List.copyOf(histories);
    }

    /**
     * The station's address and Basic-auth user (none: no Authorization header); {@code insecureTls}
     * accepts a self-signed certificate naming any host; {@code timeout} per request.
     */
    public record Connection(String baseUrl, String user, String password, boolean insecureTls, Duration timeout) {}

    /** A history (escaped name, as in the station) and, for a history CSV export, the file's path; null: oBIX. */
    public record PolledHistory(String id, String csvPath) {}
}
