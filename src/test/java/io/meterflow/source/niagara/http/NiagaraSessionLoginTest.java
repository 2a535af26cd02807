package io.meterflow.source.niagara.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.meterflow.TestDatabases;
import io.meterflow.TestEngines;
import io.meterflow.app.Engine;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.Sample;
import io.meterflow.series.SignalKind;
import io.meterflow.store.SeriesCatalog;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Niagara stations without Basic auth, over real HTTP ({@link SessionStation}): the poller logs in
 * as Niagara 4's web login does (SCRAM-SHA-256, session cookie, CSRF token) and reads oBIX; a
 * station that answers with its login page fails the history as a refused login, never as data.
 */
class NiagaraSessionLoginTest {

    static final Instant NOW = Instant.parse("2025-11-21T00:00:00Z");

    @TempDir
    Path dir;

    private Engine engine;
    private SessionStation station;

    @BeforeEach
    void start() throws Exception {
        engine = TestEngines.start(dir, TestDatabases.h2());
        station = new SessionStation(18451);
    }

    @AfterEach
    void stop() {
        station.close();
        engine.close();
    }

    private NiagaraHttpPoller poller(NiagaraStation.Auth auth, String password) {
        NiagaraStation s = new NiagaraStation(
                "AmsShop",
                "0 0/15 * * * ?",
                ZoneId.of("America/Denver"),
                new NiagaraStation.Connection(
                        station.url(), SessionStation.USER, password, false, Duration.ofSeconds(30), auth),
                7,
                List.of(new NiagaraStation.PolledHistory("Msb$2d1$20kWh", null)));
        return new NiagaraHttpPoller(
                List.of(s),
                engine.niagaraHistories(),
                watermarks(),
                engine.deadLetters(),
                Clock.fixed(NOW, ZoneOffset.UTC),
                Metrics.NONE);
    }

    private NiagaraHttpWatermarks watermarks() {
        return new NiagaraHttpWatermarks(engine.dataSource());
    }

    private Map<String, SeriesCatalog.SeriesInfo> series() {
        return engine.catalog().list("AmsShop").stream()
                .collect(Collectors.toMap(SeriesCatalog.SeriesInfo::signal, s -> s));
    }

    @Test
    void the_session_login_reads_obix_and_records_without_status_add_no_status_series() throws Exception {
        Map<String, Object> summary =
                poller(NiagaraStation.Auth.SESSION, SessionStation.PASSWORD).pollAll();
        assertTrue(summary.toString().contains("failed=[]"), summary.toString());
        assertEquals(1, station.logins.get());
        assertEquals(1, station.obixCalls.get());
        Map<String, SeriesCatalog.SeriesInfo> s = series();
        assertEquals(List.of("Msb$2d1$20kWh"), List.copyOf(s.keySet()), "oBIX records carry no status");
        SeriesCatalog.SeriesInfo energy = s.get("Msb$2d1$20kWh");
        assertEquals("kWh", energy.unit(), "obix:units/kilowatt_hour of the #RecordDef");
        assertEquals(SignalKind.COUNTER, energy.kind());
        List<Sample> samples = engine.store().samples(energy.id(), 0, Long.MAX_VALUE);
        assertEquals(new Sample(Instant.parse("2025-11-20T07:00:00.012Z").toEpochMilli(), 481203.5), samples.get(0));
        assertEquals(4, samples.size());
        assertEquals(
                Instant.parse("2025-11-20T07:45:00.011Z").toEpochMilli(),
                watermarks().get("AmsShop", "Msb$2d1$20kWh"));
        assertEquals(1, station.logouts.get(), "the run logs out");
        assertTrue(station.loggedOutWithToken(), "with the session's CSRF token");
    }

    @Test
    void an_ended_session_is_logged_in_again_once_within_the_run() throws Exception {
        NiagaraHttpPoller poller = poller(NiagaraStation.Auth.SESSION, SessionStation.PASSWORD);
        poller.pollAll();
        station.expireSessions();
        try (StationClient client = new StationClient(new NiagaraStation.Connection(
                station.url(),
                SessionStation.USER,
                SessionStation.PASSWORD,
                false,
                Duration.ofSeconds(30),
                NiagaraStation.Auth.SESSION))) {
            client.login();
            station.expireSessions(); // gone before the first request
            byte[] body = client.get(station.url() + SessionStation.OBIX_PATH + "?start=x");
            assertTrue(new String(body).contains("obix:HistoryQueryOut"));
        }
        assertEquals(3, station.logins.get(), "the run's login, this one, and once more after the session ended");
    }

    @Test
    void a_login_page_instead_of_data_is_a_refused_login_not_a_dead_letter() throws Exception {
        for (NiagaraStation.Auth auth : List.of(NiagaraStation.Auth.BASIC, NiagaraStation.Auth.NONE)) {
            Map<String, Object> summary = poller(auth, SessionStation.PASSWORD).pollAll();
            assertTrue(summary.toString().contains("failed=[Msb$2d1$20kWh]"), auth + ": " + summary);
        }
        assertEquals(0, engine.deadLetters().count(), "the login page is not a bad payload");
        assertNull(watermarks().get("AmsShop", "Msb$2d1$20kWh"));
        assertTrue(series().isEmpty());
        assertEquals(0, station.obixCalls.get(), "no oBIX answer was ever given");
    }

    @Test
    void a_wrong_password_fails_the_scram_proof_and_nothing_is_stored() throws Exception {
        Map<String, Object> summary =
                poller(NiagaraStation.Auth.SESSION, "wrong").pollAll();
        assertTrue(summary.toString().contains("failed=[Msb$2d1$20kWh]"), summary.toString());
        assertEquals(0, station.logins.get());
        assertEquals(0, engine.deadLetters().count());
        assertFalse(series().containsKey("Msb$2d1$20kWh"));
    }

    @Test
    void the_scram_exchange_matches_the_rfc_7677_example() {
        ScramSha256 scram = new ScramSha256("user", "pencil", "rOprNGfwEbeRWgbNEkqO");
        assertEquals("n,,n=user,r=rOprNGfwEbeRWgbNEkqO", scram.clientFirstMessage());
        assertEquals(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
                scram.clientFinalMessage(
                        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"));
        assertTrue(scram.verifyServerFinal("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
        assertFalse(scram.verifyServerFinal("v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="));
    }
}
