package io.meterflow.series;

/**
 * Niagara slot-name escapes: {@code $xx} (two hex digits) and {@code $uxxxx}. Names are stored as
 * the station sends them (escaped: the stable identity) and decoded for display.
 */
public final class SlotPath {

    private SlotPath() {}

    /** {@code Vav1$2d01$20Space$20Temp} → {@code Vav1-01 Space Temp}; text that is not an escape stays. */
    public static String unescape(String name) {
        if (name.indexOf('$') < 0) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length());
        int i = 0;
        while (i < name.length()) {
            char c = name.charAt(i);
            if (c == '$' && i + 1 < name.length()) {
                if ((name.charAt(i + 1) == 'u' || name.charAt(i + 1) == 'U') && hex(name, i + 2, 4) >= 0) {
                    out.append((char) hex(name, i + 2, 4));
                    i += 6;
                    continue;
                }
                if (hex(name, i + 1, 2) >= 0) {
                    out.append((char) hex(name, i + 1, 2));
                    i += 3;
                    continue;
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /**
     * Escapes as Niagara does: the first character unless it is an ASCII letter, every later one
     * unless it is an ASCII letter, digit or '_'; {@code $xx} below 0x100, else {@code $uxxxx}.
     */
    public static String escape(String name) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            boolean plain = i == 0 ? letter : letter || (c >= '0' && c <= '9') || c == '_';
            if (plain) {
                out.append(c);
            } else if (c < 0x100) {
                out.append('$').append(String.format("%02x", (int) c));
            } else {
                out.append("$u").append(String.format("%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static int hex(String s, int from, int count) {
        if (from + count > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + count; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
