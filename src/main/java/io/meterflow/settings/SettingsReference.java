package io.meterflow.settings;

/**
 * The table of every {@link Setting} as Markdown, one section per part: the part of
 * {@code docs/configuration.md} between its {@code settings:begin} and {@code settings:end}
 * markers, which a test keeps equal to this.
 */
public final class SettingsReference {

    private SettingsReference() {}

    public static String markdown() {
        StringBuilder out = new StringBuilder();
        Setting.Section section = null;
        for (Setting s : Setting.values()) {
            if (s.section() != section) {
                section = s.section();
                out.append(out.length() == 0 ? "" : "\n")
                        .append("### ")
                        .append(section.title())
                        .append("\n\n")
                        .append("| key | default | meaning |\n|---|---|---|\n");
            }
            String value = s.defaultValue().isEmpty() ? "(empty)" : "`" + s.defaultValue() + "`";
            out.append("| `")
                    .append(s.key())
                    .append("` | ")
                    .append(value)
                    .append(" | ")
                    .append(s.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return out.toString();
    }

    /** Prints the table (to paste into the reference after a change). */
    public static void main(String[] args) {
        System.out.print(markdown());
    }
}
