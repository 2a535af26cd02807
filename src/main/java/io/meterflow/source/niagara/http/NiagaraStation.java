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
     * The station's address, user and how it logs in ({@link Auth}); {@code insecureTls} accepts a
     * self-signed certificate naming any host; {@code timeout} per request.
     */
    public record Connection(
            String baseUrl, String user, String password, boolean insecureTls, Duration timeout, Auth auth) {

        /** Basic auth with a user, none without one. */
        public Connection(String baseUrl, String user, String password, boolean insecureTls, Duration timeout) {
            this(
                    baseUrl,
                    user,
                    password,
                    insecureTls,
                    timeout,
                    user == null || user.isEmpty() ? Auth.NONE : Auth.BASIC);
        }
    }

    /**
     * How requests are authenticated: not at all; HTTP Basic (a user of the station's
     * {@code HTTPBasicScheme}); or the session login of Niagara 4's web UI (SCRAM-SHA-256 through
     * {@code /j_security_check}, then the session cookie), for stations without Basic.
     */
    public enum Auth {
        NONE,
        BASIC,
        SESSION
    }

    /** A history (escaped name, as in the station) and, for a history CSV export, the file's path; null: oBIX. */
    public record PolledHistory(String id, String csvPath) {}
}
