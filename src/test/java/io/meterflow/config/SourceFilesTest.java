package io.meterflow.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eniscope.yaml and niagara-http.yaml: values read, bad ones refused naming the key. */
class SourceFilesTest {

    @TempDir
    Path dir;

    private Path file(String name, String yaml) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    private static final String ACCOUNT = "accounts:\n  - name: main\n    base_url: https://core.eniscope.com\n"
            + "    api_key_env: NO_SUCH_VARIABLE\n    email: api@example.org\n    password_env: NO_SUCH_VARIABLE\n";
    private static final String STATION = "stations:\n  - name: AmsShop\n    base_url: https://jace.example\n"
            + "    timezone: America/Denver\n    user: obix\n    histories:\n      - id: Main$20kW\n"
            + "      - id: Zone$20Temp\n        csv_path: /file/Zone.csv\n";

    @Test
    void time_outs_and_optional_texts_are_read_with_their_defaults() throws Exception {
        assertEquals(60, EniscopeFile.read(file("e.yaml", ACCOUNT)).get(0).timeoutSeconds());
        assertEquals(15, EniscopeFile.read(file("e.yaml", ACCOUNT + "    timeout_seconds: 15\n    organization: 17158\n"))
                .get(0).timeoutSeconds());
        assertEquals("17158", EniscopeFile.read(file("e.yaml", ACCOUNT + "    organization: 17158\n")).get(0).organization());
        assertEquals(null, EniscopeFile.read(file("e.yaml", ACCOUNT)).get(0).organization());
        var station = NiagaraHttpFile.read(file("n.yaml", STATION)).get(0);
        assertEquals(60, station.timeoutSeconds());
        assertEquals("obix", station.user());
        assertEquals(null, station.histories().get(0).csvPath());
        assertEquals("/file/Zone.csv", station.histories().get(1).csvPath());
        assertEquals(5, NiagaraHttpFile.read(file("n.yaml", STATION.replace("    user: obix\n", "    timeout_seconds: 5\n")))
                .get(0).timeoutSeconds());
    }

    @Test
    void a_time_out_out_of_range_names_its_key() throws Exception {
        Path e = file("e.yaml", ACCOUNT + "    timeout_seconds: 0\n");
        assertEquals(e + ": accounts[0].timeout_seconds: expected 1 to 3600, got 0",
                assertThrows(ConfigException.class, () -> EniscopeFile.read(e)).getMessage());
        Path n = file("n.yaml", STATION + "    timeout_seconds: 5000\n");
        assertEquals(n + ": stations[0].timeout_seconds: expected 1 to 3600, got 5000",
                assertThrows(ConfigException.class, () -> NiagaraHttpFile.read(n)).getMessage());
    }
}
