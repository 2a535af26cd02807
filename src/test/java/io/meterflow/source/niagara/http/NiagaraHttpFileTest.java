package io.meterflow.source.niagara.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meterflow.settings.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** niagara-http.yaml: values read with their defaults, bad ones refused naming the key. */
class NiagaraHttpFileTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path f = dir.resolve("f.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static final String STATION = "stations:\n  - name: AmsShop\n    base_url: https://jace.example\n"
            + "    timezone: America/Denver\n    user: obix\n    histories:\n      - id: Main$20kW\n"
            + "      - id: Zone$20Temp\n        csv_path: /file/Zone.csv\n";
    private static final String CRON = "0 0/15 * * * ?";

    private NiagaraStation read(String yaml) throws Exception {
        return NiagaraHttpFile.read(file(yaml), CRON).get(0);
    }

    @Test
    void time_outs_crons_and_optional_texts_are_read_with_their_defaults() throws Exception {
        NiagaraStation station = read(STATION);
        assertEquals(Duration.ofSeconds(60), station.connection().timeout());
        assertEquals("obix", station.connection().user());
        assertEquals(null, station.histories().get(0).csvPath());
        assertEquals("/file/Zone.csv", station.histories().get(1).csvPath());
        assertEquals(CRON, station.cron());
        assertEquals(
                Duration.ofSeconds(5),
                read(STATION.replace("    user: obix\n", "    timeout_seconds: 5\n"))
                        .connection()
                        .timeout());
    }

    @Test
    void the_login_is_basic_with_a_user_none_without_and_session_when_asked() throws Exception {
        assertEquals(NiagaraStation.Auth.BASIC, read(STATION).connection().auth());
        assertEquals(
                NiagaraStation.Auth.NONE,
                read(STATION.replace("    user: obix\n", "")).connection().auth());
        assertEquals(
                NiagaraStation.Auth.SESSION,
                read(STATION + "    auth: session\n").connection().auth());
        Path bad = file(STATION + "    auth: digest\n");
        assertEquals(
                bad + ": stations[0].auth: expected basic, session or none, got digest",
                assertThrows(ConfigException.class, () -> NiagaraHttpFile.read(bad, CRON))
                        .getMessage());
        Path noUser = file(STATION.replace("    user: obix\n", "") + "    auth: session\n");
        assertEquals(
                noUser + ": stations[0].user: is required with auth session",
                assertThrows(ConfigException.class, () -> NiagaraHttpFile.read(noUser, CRON))
                        .getMessage());
    }

    @Test
    void bad_values_name_their_key() throws Exception {
        Path n = file(STATION + "    timeout_seconds: 5000\n");
        assertEquals(
                n + ": stations[0].timeout_seconds: expected 1 to 3600, got 5000",
                assertThrows(ConfigException.class, () -> NiagaraHttpFile.read(n, CRON))
                        .getMessage());
        Path z = file(STATION.replace("America/Denver", "Mars/Olympus"));
        assertEquals(
                z + ": stations[0].timezone: not an IANA timezone: Mars/Olympus",
                assertThrows(ConfigException.class, () -> NiagaraHttpFile.read(z, CRON))
                        .getMessage());
    }
}
