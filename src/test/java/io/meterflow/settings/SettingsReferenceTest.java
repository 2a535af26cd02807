package io.meterflow.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The configuration reference and the shipped properties file agree with the settings the engine reads. */
class SettingsReferenceTest {

    @Test
    void the_reference_lists_every_setting_with_its_default() throws Exception {
        String doc = Files.readString(Path.of("docs/configuration.md"));
        int begin = doc.indexOf("<!-- settings:begin -->\n");
        int end = doc.indexOf("<!-- settings:end -->");
        assertTrue(begin >= 0 && end > begin, "docs/configuration.md has the settings markers");
        String expected = SettingsReference.markdown();
        String actual = doc.substring(begin + "<!-- settings:begin -->\n".length(), end);
        if (!expected.equals(actual)) {
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/settings-reference.md"), expected);
        }
        assertEquals(
                expected,
                actual,
                "docs/configuration.md is out of date: the tables are in target/settings-reference.md");
    }

    @Test
    void the_shipped_properties_file_sets_only_known_settings() throws Exception {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of("config/application.properties"))) {
            p.load(r);
        }
        assertEquals(List.of(), Setting.unknown(p.stringPropertyNames()));
        EngineSettings.from(p::getProperty); // and every value in it passes the checks
    }

    @Test
    void an_unknown_key_is_refused_naming_the_closest_setting() {
        assertEquals(
                List.of("meterflow.ingest.thread: not a Meterflow setting (did you mean meterflow.ingest.threads?)"),
                Setting.unknown(List.of("meterflow.ingest.thread", "camel.server.port", "meterflow.inbox")));
    }

    @Test
    void bad_values_stop_the_start_naming_the_key() {
        assertEquals(
                "meterflow.ingest.threads: expected a positive whole number, got 'two'",
                problem("meterflow.ingest.threads", "two"));
        assertEquals(
                "meterflow.mqtt.enabled: expected true or false, got 'yes'", problem("meterflow.mqtt.enabled", "yes"));
        assertEquals(
                "meterflow.default-timezone: not an IANA timezone, got 'Mars/Olympus'",
                problem("meterflow.default-timezone", "Mars/Olympus"));
        assertEquals(
                "meterflow.eniscope.cron: not a Quartz cron expression, got '0 0 25 * * ?'",
                problem("meterflow.eniscope.cron", "0 0 25 * * ?"));
        assertEquals(
                "meterflow.ingest.min-age: expected a duration such as 500ms, 1s, 2m, got 'soon'",
                problem("meterflow.ingest.min-age", "soon"));
        assertEquals(
                "meterflow.mqtt.ca-file: cannot read no/such.pem", problem("meterflow.mqtt.ca-file", "no/such.pem"));
        assertTrue(problem("meterflow.timestamps.patterns", "dd.MM.yy|yyyy-MM-dd {HH}")
                .startsWith("meterflow.timestamps.patterns: not a date-time pattern: yyyy-MM-dd {HH}"));
        assertTrue(problem("meterflow.timestamps.locales", "en,!!")
                .startsWith("meterflow.timestamps.locales: not a language tag: !!"));
        assertTrue(problem("meterflow.mqtt.keys.history", "/historyId,historyName")
                .startsWith("meterflow.mqtt.keys.history: expected JSON pointers"));
    }

    @Test
    void defaults_apply_when_nothing_is_set() {
        EngineSettings s = EngineSettings.from(key -> null);
        assertEquals(Path.of("inbox"), s.ingest().inbox());
        assertEquals(8, s.ingest().threads());
        assertEquals("jdbc:h2:./data/meterflow", s.database().url());
        assertEquals(false, s.mqtt().enabled());
        assertEquals("0 5 * * * ?", s.eniscope().cron());
        assertEquals("1s", s.properties().get("meterflow.ingest.min-age"));
    }

    private static String problem(String key, String value) {
        try {
            EngineSettings.from(k -> k.equals(key) ? value : null);
            throw new AssertionError("accepted " + key + "=" + value);
        } catch (ConfigException e) {
            return e.getMessage();
        }
    }
}
