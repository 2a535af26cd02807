package io.meterflow.settings;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.quartz.CronExpression;

/**
 * The values of every {@link Setting}, read once through a lookup (null for a key that is not
 * set) and checked against the setting's type at construction: a bad value stops the engine at
 * start with a {@link ConfigException} naming the key, as HikariCP's {@code validate()} does.
 */
public final class SettingValues {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");

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

    /** A path setting; a relative one is resolved against the home folder ({@code meterflow.home}) when it is set. */
    public Path path(Setting s) {
        Path p = Path.of(values.get(s));
        return s == Setting.HOME || p.isAbsolute() || values.get(Setting.HOME).isEmpty()
                ? p
                : Path.of(values.get(Setting.HOME)).resolve(p).normalize();
    }

    public int positiveInt(Setting s) {
        return Integer.parseInt(values.get(s));
    }

    public int wholeNumber(Setting s) {
        return Integer.parseInt(values.get(s));
    }

    /** A duration setting in milliseconds: {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h}; a bare number is milliseconds. */
    public long millis(Setting s) {
        Matcher m = DURATION.matcher(values.get(s).toLowerCase(Locale.ROOT));
        m.matches(); // checked when read
        long unit = m.group(2) == null
                ? 1L
                : switch (m.group(2)) {
                    case "s" -> 1_000L;
                    case "m" -> 60_000L;
                    case "h" -> 3_600_000L;
                    default -> 1L; // ms
                };
        return Long.parseLong(m.group(1)) * unit;
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

    /** The date-time patterns of a {@link Setting.Type#PATTERNS} setting (none for an empty value). */
    public List<String> patterns(Setting s) {
        return split(values.get(s), "\\|");
    }

    /** The languages of a {@link Setting.Type#LOCALES} setting. */
    public List<Locale> locales(Setting s) {
        return split(values.get(s), ",").stream().map(Locale::forLanguageTag).toList();
    }

    /** The JSON pointers of a {@link Setting.Type#POINTERS} setting. */
    public List<String> pointers(Setting s) {
        return split(values.get(s), ",");
    }

    private static List<String> split(String value, String separator) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(separator)) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static void check(Setting s, String value) {
        String problem =
                switch (s.type()) {
                    case TEXT, SECRET, PATH -> null;
                    case POSITIVE_INT -> positiveInt(value) ? null : "expected a positive whole number";
                    case WHOLE_NUMBER -> wholeNumber(value) ? null : "expected a whole number, 0 or more";
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
                    case PATTERNS -> patternProblem(value);
                    case LOCALES -> localeProblem(value);
                    case POINTERS ->
                        split(value, ",").stream().allMatch(p -> p.startsWith("/"))
                                ? null
                                : "expected JSON pointers such as /stationName, separated by commas";
                };
        if (problem == null && !s.choices().isEmpty() && !s.choices().contains(value)) {
            problem = "expected one of " + String.join(", ", s.choices());
        }
        if (problem != null) {
            throw new ConfigException(s.key() + ": " + problem + ", got '" + value + "'");
        }
    }

    private static boolean wholeNumber(String v) {
        try {
            return Integer.parseInt(v) >= 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static String patternProblem(String value) {
        for (String p : split(value, "\\|")) {
            try {
                DateTimeFormatter.ofPattern(p);
            } catch (IllegalArgumentException e) {
                return "not a date-time pattern: " + p + " (" + e.getMessage() + ")";
            }
        }
        return null;
    }

    private static String localeProblem(String value) {
        List<String> tags = split(value, ",");
        if (tags.isEmpty()) {
            return "expected at least one language, such as en";
        }
        for (String tag : tags) {
            if (Locale.forLanguageTag(tag).getLanguage().isEmpty()) {
                return "not a language tag: " + tag;
            }
        }
        return null;
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
