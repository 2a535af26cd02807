package io.meterflow.source.niagara;

import java.util.Locale;

/**
 * Niagara {@code BStatus} text ({@code {ok}}, {@code {down,stale}}, {@code {overridden} @ 8}) as
 * its bit mask: disabled 0x01, fault 0x02, down 0x04, alarm 0x08, stale 0x10, overridden 0x20,
 * null 0x40, unackedAlarm 0x80; 0 is ok. Unknown words are ignored.
 */
public final class NiagaraStatus {

    private static final String[] FLAGS = {
        "disabled", "fault", "down", "alarm", "stale", "overridden", "null", "unackedalarm"
    };

    private NiagaraStatus() {}

    public static int bits(String status) {
        if (status == null) {
            return 0;
        }
        String s = status.trim();
        int open = s.indexOf('{');
        int close = s.indexOf('}');
        if (open >= 0 && close > open) {
            s = s.substring(open + 1, close);
        }
        int bits = 0;
        for (String word : s.split(",")) {
            String w = word.trim().toLowerCase(Locale.ROOT);
            for (int i = 0; i < FLAGS.length; i++) {
                if (FLAGS[i].equals(w)) {
                    bits |= 1 << i;
                }
            }
        }
        return bits;
    }
}
