package io.meterflow.settings;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * The values of every {@link Setting}, read once through a lookup (null for a key that is not
 * set) and checked against the setting's type at construction: a bad value stops the engine at
 * start with a {@link ConfigException} naming the key, as HikariCP's {@code validate()} does.
 */
public final class SettingValues {

    private static final Pattern DURATION = Pattern.compile("\\d+(ms|s|m|h)?");

    private final Map<Setting, String> values = new EnumMap<>(Setting.class);

    public SettingValues(Function<String, String> lookup) {
        for (Setting s : Setting.values()) {
            String v = lookup.apply(s.key());
            String value = v == null || v.isBlank() ? s.defaultValue() : v.trim();
            check(s, value);
            values.put(s, value);
        }
    }

    public String text(Setting s) {
        return values.get(s);
    }

    public Path path(Setting s) {
        return Path.of(values.get(s));
    }

    public int positiveInt(Setting s) {
        return Integer.parseInt(values.get(s));
    }

    public boolean bool(Setting s) {
        return Boolean.parseBoolean(values.get(s));
    }

    public ZoneId zone(Setting s) {
        return ZoneId.of(values.get(s));
    }

    /** Every key with its value (checked), for the routes' property placeholders. */
    public Map<String, String> asProperties() {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((s, v) -> out.put(s.key(), v));
        return out;
    }

    private static void check(Setting s, String value) {
        String problem =
                switch (s.type()) {
                    case TEXT, SECRET, PATH -> null;
                    case POSITIVE_INT -> positiveInt(value) ? null : "expected a positive whole number";
                    case BOOLEAN ->
                        value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")
                                ? null
                                : "expected true or false";
                    case ZONE -> zone(value) ? null : "not an IANA timezone";
                    case CRON -> CronExpression.isValidExpression(value) ? null : "not a Quartz cron expression";
                    case DURATION ->
                        DURATION.matcher(value.toLowerCase(Locale.ROOT)).matches()
                                ? null
                                : "expected a duration such as 500ms, 1s, 2m";
                };
        if (problem != null) {
            throw new ConfigException(s.key() + ": " + problem + ", got '" + value + "'");
        }
    }

    private static boolean positiveInt(String v) {
        try {
            return Integer.parseInt(v) > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean zone(String v) {
        try {
            ZoneId.of(v);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
