package io.meterflow.source.eniscope;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.meterflow.settings.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** eniscope.yaml: values read with their defaults, bad ones refused naming the key. */
class EniscopeFileTest {

    @TempDir
    Path dir;

    private Path file(String yaml) throws Exception {
        Path f = dir.resolve("f.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static final String ACCOUNT = "accounts:\n  - name: main\n    base_url: https://core.eniscope.com\n"
            + "    api_key_env: NO_SUCH_VARIABLE\n    email: api@example.org\n    password_env: NO_SUCH_VARIABLE\n";
    private static final String CRON = "0 5 * * * ?";

    private EniscopeAccount read(String yaml) throws Exception {
        return EniscopeFile.read(file(yaml), CRON).get(0);
    }

    @Test
    void time_outs_crons_and_optional_texts_are_read_with_their_defaults() throws Exception {
        assertEquals(Duration.ofSeconds(60), read(ACCOUNT).login().timeout());
        assertEquals(
                Duration.ofSeconds(15),
                read(ACCOUNT + "    timeout_seconds: 15\n    organization: 17158\n")
                        .login()
                        .timeout());
        assertEquals(
                "17158", read(ACCOUNT + "    organization: 17158\n").scope().organization());
        assertEquals(null, read(ACCOUNT).scope().organization());
        assertEquals(CRON, read(ACCOUNT).cron());
        assertEquals(
                "0 0/5 * * * ?", read(ACCOUNT + "    cron: 0 0/5 * * * ?\n").cron());
        assertEquals(900, read(ACCOUNT).readings().resolution());
    }

    @Test
    void bad_values_name_their_key() throws Exception {
        Path e = file(ACCOUNT + "    timeout_seconds: 0\n");
        assertEquals(
                e + ": accounts[0].timeout_seconds: expected 1 to 3600, got 0",
                assertThrows(ConfigException.class, () -> EniscopeFile.read(e, CRON))
                        .getMessage());
        Path c = file(ACCOUNT + "    cron: every hour\n");
        assertEquals(
                c + ": accounts[0].cron: not a Quartz cron expression: every hour",
                assertThrows(ConfigException.class, () -> EniscopeFile.read(c, CRON))
                        .getMessage());
        Path twice = file(ACCOUNT + ACCOUNT.substring("accounts:\n".length()));
        assertEquals(
                twice + ": accounts[1].name: account 'main' is listed twice",
                assertThrows(ConfigException.class, () -> EniscopeFile.read(twice, CRON))
                        .getMessage());
    }
}
