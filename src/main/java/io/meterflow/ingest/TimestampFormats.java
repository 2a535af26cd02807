package io.meterflow.ingest;

import java.text.DateFormatSymbols;
import java.time.Month;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The timestamp forms beyond the built-in ones, for every path that reads text timestamps (meter
 * files, Niagara history CSVs): the languages whose month names and AM/PM markers display forms
 * such as Niagara's {@code 05-Nov-25 2:19:58 PM MST} (or {@code 05-Okt-25 14:19:58 MEZ}) may use,
 * and date-time patterns of one's own ({@link DateTimeFormatter} syntax), tried in each of those
 * languages after the built-in forms. Immutable and shared; built once from the settings.
 */
public final class TimestampFormats {

    /** English month names, no patterns of one's own. */
    public static final TimestampFormats DEFAULT = of(List.of(), List.of(Locale.ENGLISH));

    private final Map<String, Integer> months;
    private final Map<String, Boolean> afternoon;
    private final List<DateTimeFormatter> patterns;
    private final List<DateTimeFormatter> abbreviations;

    private TimestampFormats(
            Map<String, Integer> months,
            Map<String, Boolean> afternoon,
            List<DateTimeFormatter> patterns,
            List<DateTimeFormatter> abbreviations) {
        this.months = months;
        this.afternoon = afternoon;
        this.patterns = patterns;
        this.abbreviations = abbreviations;
    }

    /**
     * Month names and markers of {@code locales}, and {@code patterns} in each of them.
     *
     * @throws IllegalArgumentException for a pattern that is not a valid date-time pattern
     */
    public static TimestampFormats of(List<String> patterns, List<Locale> locales) {
        Map<String, Integer> months = new HashMap<>();
        Map<String, Boolean> afternoon = new HashMap<>();
        afternoon.put("am", false);
        afternoon.put("pm", true);
        for (Locale locale : locales) {
            Map<String, Integer> prefixes = new HashMap<>();
            Set<String> ambiguous = new HashSet<>();
            for (Month m : Month.values()) {
                for (TextStyle style : TextStyle.values()) {
                    if (style == TextStyle.NARROW || style == TextStyle.NARROW_STANDALONE) {
                        continue;
                    }
                    String name = key(m.getDisplayName(style, locale));
                    if (!name.isEmpty()) {
                        months.putIfAbsent(name, m.getValue());
                    }
                }
                String full = key(m.getDisplayName(TextStyle.FULL_STANDALONE, locale));
                if (full.length() > 3) {
                    String prefix = full.substring(0, 3); // "Okt", "déc", "Mär": often written short
                    Integer before = prefixes.putIfAbsent(prefix, m.getValue());
                    if (before != null && before != m.getValue()) {
                        ambiguous.add(prefix); // French juin / juillet: "jui" names neither
                    }
                }
            }
            prefixes.forEach((prefix, month) -> {
                if (!ambiguous.contains(prefix)) {
                    months.putIfAbsent(prefix, month);
                }
            });
            String[] markers = DateFormatSymbols.getInstance(locale).getAmPmStrings();
            if (markers.length == 2) {
                afternoon.putIfAbsent(key(markers[0]), false);
                afternoon.putIfAbsent(key(markers[1]), true);
            }
        }
        List<DateTimeFormatter> abbreviations = new ArrayList<>();
        abbreviations.add(DateTimeFormatter.ofPattern("z", Locale.ENGLISH));
        for (Locale locale : locales) {
            if (!locale.getLanguage().equals("en")) {
                abbreviations.add(DateTimeFormatter.ofPattern("z", locale)); // MEZ, MESZ in German
            }
        }
        List<DateTimeFormatter> formatters = new ArrayList<>();
        for (String pattern : patterns) {
            for (Locale locale : locales) {
                formatters.add(new DateTimeFormatterBuilder()
                        .parseCaseInsensitive()
                        .appendPattern(pattern)
                        .toFormatter(locale));
            }
        }
        return new TimestampFormats(
                Map.copyOf(months), Map.copyOf(afternoon), List.copyOf(formatters), List.copyOf(abbreviations));
    }

    /** A month name or marker as looked up: lower case, without dots and spaces. */
    static String key(String text) {
        return text.toLowerCase(Locale.ROOT).replace(".", "").replace(" ", "").trim();
    }

    /** The month (1-12) of a month name in one of the languages, or 0. */
    int month(String name) {
        Integer m = months.get(key(name));
        return m == null ? 0 : m;
    }

    /** Whether a marker means after noon (true), before noon (false), or is no marker (null). */
    Boolean afternoon(String marker) {
        return afternoon.get(key(marker));
    }

    List<DateTimeFormatter> patterns() {
        return patterns;
    }

    /** Zone abbreviations ({@code z}) in English and the other languages. */
    List<DateTimeFormatter> abbreviations() {
        return abbreviations;
    }
}
