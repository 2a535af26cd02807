package io.meterflow.series;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A unit as sources write it ({@code Wh}, {@code kWhs}, {@code VAr}, {@code obix:units/kilowatt_hour},
 * {@code °F}) made one of the units the engine stores: energy in kWh, kvarh or kVAh, power in kW,
 * kvar or kVA; everything else is kept as written. {@code decimalShift} is the power of ten that
 * turns a value in the written unit into the stored one (Wh → kWh: -3, MWh → kWh: +3).
 */
public record Unit(String symbol, int decimalShift, Quantity quantity) {

    /** What a unit measures, as far as aggregation cares. */
    public enum Quantity {
        /** Active, reactive or apparent energy: a counter or an amount per interval, never a mean. */
        ENERGY,
        /** Active, reactive or apparent power. */
        POWER,
        /** Anything else (volts, amperes, degrees, percent, ...). */
        OTHER
    }

    /** The longest unit kept (the series table's column). */
    public static final int MAX_LENGTH = 32;

    private static final Map<String, Unit> EXACT = new HashMap<>();
    private static final Map<String, Unit> ANY_CASE = new HashMap<>();

    static {
        energy("kWh", "Wh", -3, "kWh", 0, "MWh", 3, "GWh", 6, "kWhs", 0, "Whs", -3, "kW.h", 0);
        energy("kvarh", "varh", -3, "VArh", -3, "VARh", -3, "kvarh", 0, "kVArh", 0, "kVARh", 0, "Mvarh", 3);
        energy("kVAh", "VAh", -3, "kVAh", 0, "MVAh", 3);
        power("kW", "W", -3, "kW", 0, "MW", 3, "kWatts", 0, "Watts", -3, "watts", -3);
        power("kvar", "var", -3, "VAr", -3, "VAR", -3, "kvar", 0, "kVAr", 0, "kVAR", 0, "Mvar", 3);
        power("kVA", "VA", -3, "kVA", 0, "MVA", 3);
        // oBIX unit names (obix:units/<name>), as Niagara sends them
        named("watt_hour", "kWh", -3, Quantity.ENERGY);
        named("kilowatt_hour", "kWh", 0, Quantity.ENERGY);
        named("megawatt_hour", "kWh", 3, Quantity.ENERGY);
        named("watt", "kW", -3, Quantity.POWER);
        named("kilowatt", "kW", 0, Quantity.POWER);
        named("megawatt", "kW", 3, Quantity.POWER);
        named("volt_ampere_reactive_hour", "kvarh", -3, Quantity.ENERGY);
        named("kilovolt_ampere_reactive_hour", "kvarh", 0, Quantity.ENERGY);
        named("volt_ampere_hour", "kVAh", -3, Quantity.ENERGY);
        named("kilovolt_ampere_hour", "kVAh", 0, Quantity.ENERGY);
        named("volt_ampere_reactive", "kvar", -3, Quantity.POWER);
        named("kilovolt_ampere_reactive", "kvar", 0, Quantity.POWER);
        named("volt_ampere", "kVA", -3, Quantity.POWER);
        named("kilovolt_ampere", "kVA", 0, Quantity.POWER);
        named("volt", "V", 0, Quantity.OTHER);
        named("ampere", "A", 0, Quantity.OTHER);
        named("hertz", "Hz", 0, Quantity.OTHER);
        named("fahrenheit", "°F", 0, Quantity.OTHER);
        named("celsius", "°C", 0, Quantity.OTHER);
        named("percent", "%", 0, Quantity.OTHER);
        EXACT.put("oC", new Unit("°C", 0, Quantity.OTHER)); // the Eniscope field catalogue's spelling
    }

    private static void energy(String symbol, Object... spellings) {
        table(symbol, Quantity.ENERGY, spellings);
    }

    private static void power(String symbol, Object... spellings) {
        table(symbol, Quantity.POWER, spellings);
    }

    private static void table(String symbol, Quantity q, Object... spellings) {
        for (int i = 0; i < spellings.length; i += 2) {
            String written = (String) spellings[i];
            Unit u = new Unit(symbol, (Integer) spellings[i + 1], q);
            EXACT.put(written, u);
            // any case only where it cannot confuse milli with mega: kWh, KWH and kwh are one unit
            if (!written.startsWith("M") && !written.startsWith("m")) {
                ANY_CASE.putIfAbsent(written.toLowerCase(Locale.ROOT), u);
            }
        }
    }

    private static void named(String name, String symbol, int shift, Quantity q) {
        ANY_CASE.put(name, new Unit(symbol, shift, q));
    }

    /** A unit this engine knows (energy, power, an oBIX name), or null. */
    public static Unit known(String written) {
        if (written == null) {
            return null;
        }
        String w = written.trim();
        if (w.startsWith("obix:units/")) {
            w = w.substring("obix:units/".length());
        }
        Unit u = EXACT.get(w);
        return u != null ? u : ANY_CASE.get(w.toLowerCase(Locale.ROOT));
    }

    /**
     * The unit as stored: a known one normalised, any other kept as written (trimmed, at most
     * {@link #MAX_LENGTH} characters); null for none ({@code obix:units/null}, blank).
     */
    public static Unit of(String written) {
        if (written == null || written.isBlank() || written.trim().equals("obix:units/null")) {
            return null;
        }
        Unit u = known(written);
        if (u != null) {
            return u;
        }
        String w = written.trim();
        if (w.startsWith("obix:units/")) {
            w = w.substring("obix:units/".length());
        }
        return new Unit(w.length() > MAX_LENGTH ? w.substring(0, MAX_LENGTH) : w, 0, Quantity.OTHER);
    }

    public boolean energy() {
        return quantity == Quantity.ENERGY;
    }

    /** A value in the written unit as a value in {@link #symbol}: divided or multiplied by a power of ten. */
    public double convert(double value) {
        return switch (decimalShift) {
            case 0 -> value;
            case -3 -> value / 1000;
            case -6 -> value / 1_000_000;
            case 3 -> value * 1000;
            case 6 -> value * 1_000_000;
            default -> value * Math.pow(10, decimalShift);
        };
    }
}
