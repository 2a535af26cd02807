package io.meterflow.settings;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Property lookup for the command-line tools, in Camel Main's order: {@code -Dkey=value}, then
 * the environment variable (upper case, dots and dashes as underscores), then
 * {@code config/application.properties}. {@code {{env:NAME:default}}} placeholders are resolved.
 */
public final class PropertyFile {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)(?::([^}]*))?}}");

    private PropertyFile() {}

    public static Function<String, String> lookup(Path file) {
        Properties props = new Properties();
        if (Files.exists(file)) {
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(r);
            } catch (IOException e) {
                throw new ConfigException(file + ": cannot read: " + e.getMessage());
            }
        }
        return key -> {
            String v = System.getProperty(key);
            if (v == null) {
                v = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
            }
            if (v == null) {
                v = props.getProperty(key);
            }
            return v == null ? null : resolveEnv(v);
        };
    }

    static String resolveEnv(String value) {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String env = System.getenv(m.group(1));
            String replacement = env != null ? env : m.group(2) != null ? m.group(2) : "";
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
