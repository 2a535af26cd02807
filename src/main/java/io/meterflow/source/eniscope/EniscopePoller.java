package io.meterflow.source.eniscope;

import com.fasterxml.jackson.databind.JsonNode;
import io.meterflow.ingest.SampleWriter;
import io.meterflow.ingest.SeriesRegistrar;
import io.meterflow.ingest.SignalDescription;
import io.meterflow.metrics.Metrics;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.SignalKind;
import io.meterflow.series.Unit;
import io.meterflow.store.DeadLetters;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls Eniscope readings: per account, the channels (configured, or discovered page by page with
 * their organizations and devices and kept in the reference tables), then per channel the readings
 * from its watermark to now in windows (a first run backfills {@code backfillDays}). A channel becomes meter
 * {@code eniscope-<channelId>}; fields become signals in the units the response's {@code units}
 * map names (else the field catalogue's), energy and power scaled to kWh and kW and named with
 * their unit: {@code E}, {@code E1}-{@code E3} (Wh per interval) → {@code E_interval_kwh}, ...,
 * {@code P}, {@code P1}-{@code P3} (W) → {@code P_kw}, {@code Q} (VAr) → {@code Q_kvar}, {@code S}
 * (VA) → {@code S_kva}, {@code V} → {@code V_v}, {@code I} → {@code I_a}, {@code T} → {@code T_c}.
 * The resolution is read from each response (the server may coarsen it). A field a channel
 * answers "Invalid Parameter" for is found by asking for each field alone, left out from then on
 * (for the life of the engine), and the others are read. A window is stored in one transaction and
 * only then does the watermark move, and never past a window (or the part of it after its last
 * record) that is newer than {@code lateHours} and came back without records: the device may
 * still upload it. A bad body is dead-lettered and the watermark stays. One failing channel never
 * stops the others. A channel's meter takes its device's timezone, else the one the readings
 * name, else its organization's.
 */
public final class EniscopePoller {

    private static final Logger LOG = LoggerFactory.getLogger(EniscopePoller.class);

    private final List<EniscopeAccount> accounts;
    private final MeterRegistry registry;
    private final SampleWriter writer;
    private final EniscopeChannels channels;
    private final EniscopeReferences references;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final int attempts;
    private final long backoffMillis;
    private final SeriesRegistrar series;
    private final Metrics metrics;
    private final Map<String, EniscopeClient> clients = new ConcurrentHashMap<>();
    /** Per account and channel: the fields it answered "Invalid Parameter" for. */
    private final Map<String, Set<String>> unsupported = new ConcurrentHashMap<>();

    private final Map<String, Object> runs = new ConcurrentHashMap<>();

    public EniscopePoller(
            List<EniscopeAccount> accounts,
            MeterRegistry registry,
            SampleWriter writer,
            EniscopeChannels channels,
            EniscopeReferences references,
            DeadLetters deadLetters,
            Clock clock,
            int attempts,
            long backoffMillis,
            SeriesRegistrar series,
            Metrics metrics) {
        this.series = series;
        this.accounts = accounts;
        this.registry = registry;
        this.writer = writer;
        this.channels = channels;
        this.references = references;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.attempts = attempts;
        this.backoffMillis = backoffMillis;
        this.metrics = metrics;
    }

    /** The configured accounts. */
    public List<EniscopeAccount> accounts() {
        return accounts;
    }

    /** Polls every account; a summary per account (channels polled, samples stored, channels failed). */
    public Map<String, Object> pollAll() throws InterruptedException {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (EniscopeAccount a : accounts) {
            summary.put(a.name(), poll(a.name()));
        }
        return summary;
    }

    /** Polls one account (the account's route calls this on its cron); a summary of the run. */
    public Map<String, Object> poll(String accountName) throws InterruptedException {
        EniscopeAccount account = accounts.stream()
                .filter(a -> a.name().equals(accountName))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no Eniscope account named '" + accountName + "'"));
        synchronized (runs.computeIfAbsent(accountName, k -> new Object())) { // one run of an account at a time
            long started = System.nanoTime();
            Map<String, Object> result = poll(account);
            Object failed = result.get("failed");
            int failures = failed instanceof List<?> l ? l.size() : 0;
            String outcome = result.containsKey("error")
                    ? "failed"
                    : failures == 0
                            ? "ok"
                            : failures < ((Number) result.get("channels")).intValue() ? "partial" : "failed";
            metrics.polled("eniscope", outcome, System.nanoTime() - started);
            return result;
        }
    }

    private Map<String, Object> poll(EniscopeAccount a) throws InterruptedException {
        // one client per account: its session token is reused from run to run
        EniscopeClient client =
                clients.computeIfAbsent(a.name(), k -> new EniscopeClient(a.login(), attempts, backoffMillis));
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Target> meters = new LinkedHashMap<>(); // channel id -> the meter it becomes
        try {
            if (a.scope().channels().isEmpty()) {
                discover(a, client, meters, result);
            } else {
                for (String id : a.scope().channels()) {
                    channels.save(a.name(), id, null, null, null, null, meterId(id));
                    meters.put(id, new Target(Meter.discovered(meterId(id), registry.defaultZone()), false));
                }
            }
        } catch (EniscopeClient.ApiFailure e) {
            LOG.warn("eniscope account={} discovery failed: {}", a.name(), e.getMessage());
            result.put("error", e.getMessage());
            return result;
        }
        long samples = 0;
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, Target> ch : meters.entrySet()) {
            try {
                samples += pollChannel(a, client, ch.getKey(), ch.getValue());
            } catch (EniscopeClient.ApiFailure e) {
                failed.add(ch.getKey());
                channels.polled(a.name(), ch.getKey(), null, e.getMessage());
                LOG.warn("eniscope account={} channel={} skipped this run: {}", a.name(), ch.getKey(), e.getMessage());
            }
        }
        result.put("channels", meters.size());
        result.put("samples", samples);
        result.put("failed", failed);
        return result;
    }

    /**
     * Organizations, devices and channels, each paged, into the reference tables. With an
     * organization configured, only it and the organizations below it count. A channel's meter
     * is named after the channel, its site is the organization, and its timezone the device's
     * (else the organization's, else the engine default).
     */
    private void discover(
            EniscopeAccount a, EniscopeClient client, Map<String, Target> meters, Map<String, Object> result)
            throws EniscopeClient.ApiFailure, InterruptedException {
        Map<String, EniscopeReferences.Organization> orgs = new LinkedHashMap<>();
        for (JsonNode o : client.list("/organizations", "organizations")) {
            String id = text(o, "organizationId", text(o, "id", null));
            if (id != null) {
                orgs.put(
                        id,
                        new EniscopeReferences.Organization(
                                id,
                                text(o, "organizationName", text(o, "name", null)),
                                text(o, "parentId", text(o, "parent", null)),
                                text(o, "timeZone", null)));
            }
        }
        Set<String> scope = a.scope().organization() == null
                ? orgs.keySet()
                : subtree(orgs, a.scope().organization());
        for (String id : scope) {
            EniscopeReferences.Organization o = orgs.get(id);
            if (o != null) {
                references.save(a.name(), o);
            }
        }
        Map<String, EniscopeReferences.Device> devices = new LinkedHashMap<>();
        for (JsonNode d : client.list("/devices", "devices")) {
            String id = text(d, "deviceId", text(d, "id", null));
            String org = text(d, "organizationId", text(d, "organization", null));
            if (id == null || (a.scope().organization() != null && !scope.contains(org))) {
                continue;
            }
            EniscopeReferences.Device device = new EniscopeReferences.Device(
                    id,
                    text(d, "deviceName", text(d, "name", null)),
                    text(d, "uuId", text(d, "uuid", null)),
                    text(d, "deviceTypeId", null),
                    text(d, "deviceTypeName", null),
                    org,
                    text(d, "timeZone", null),
                    text(d, "status", null),
                    epoch(d, "registered"),
                    epoch(d, "expires"));
            references.save(a.name(), device);
            devices.put(id, device);
        }
        for (JsonNode ch : client.list("/channels", "channels")) {
            String id = text(ch, "dataChannelId", text(ch, "channelId", null));
            String org = text(ch, "organizationId", text(ch, "organization", null));
            if (id == null || (a.scope().organization() != null && !scope.contains(org))) {
                continue;
            }
            String name = text(ch, "channelName", text(ch, "name", null));
            String deviceId = text(ch, "deviceId", null);
            channels.save(a.name(), id, name, text(ch, "uuId", null), deviceId, org, meterId(id));
            EniscopeReferences.Device device = devices.get(deviceId);
            EniscopeReferences.Organization organization = orgs.get(org);
            ZoneId deviceZone = zone(device == null ? null : device.timeZone(), null);
            ZoneId zone = deviceZone != null
                    ? deviceZone
                    : zone(organization == null ? null : organization.timeZone(), registry.defaultZone());
            meters.put(
                    id,
                    new Target(
                            new Meter(
                                    meterId(id),
                                    meterId(id) + "-",
                                    organization == null ? null : organization.name(),
                                    null,
                                    name,
                                    zone,
                                    Map.of(),
                                    Double.POSITIVE_INFINITY),
                            deviceZone != null));
        }
        result.put("organizations", scope.size());
        result.put("devices", devices.size());
    }

    /** {@code root} and every organization below it. */
    private static Set<String> subtree(Map<String, EniscopeReferences.Organization> orgs, String root) {
        Set<String> out = new LinkedHashSet<>();
        out.add(root);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (EniscopeReferences.Organization o : orgs.values()) {
                if (o.parentId() != null && out.contains(o.parentId()) && out.add(o.id())) {
                    grew = true;
                }
            }
        }
        return out;
    }

    private static ZoneId zone(String id, ZoneId fallback) {
        if (id == null || id.isBlank()) {
            return fallback;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return fallback;
        }
    }

    /** An epoch-seconds field sent as a number or a string; null when absent or not a number. */
    private static Long epoch(JsonNode n, String field) {
        String v = text(n, field, null);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The meter a channel becomes, and whether its timezone is the device's own. */
    private record Target(Meter meter, boolean deviceZone) {}

    private long pollChannel(EniscopeAccount a, EniscopeClient client, String channelId, Target target)
            throws EniscopeClient.ApiFailure, InterruptedException {
        long now = clock.instant().getEpochSecond();
        long step = a.readings().resolution();
        long end = now - Math.floorMod(now, step);
        long settledBefore = now - a.readings().lateHours() * 3600L;
        Long mark = channels.watermark(a.name(), channelId);
        long from = mark != null ? mark : end - a.readings().backfillDays() * 86_400L;
        long watermark = from;
        boolean settled = true; // every window so far holds what it will ever hold
        long stored = 0;
        Meter meter = target.meter();
        while (from < end) {
            long to = Math.min(from + a.readings().windowHours() * 3600L, end);
            JsonNode body;
            try {
                body = readings(a, client, channelId, from, to);
            } catch (EniscopeClient.BadBody e) {
                deadLetters.record("eniscope", a.name() + "/" + channelId, e.getMessage(), e.body);
                throw e;
            }
            Readings readings;
            try {
                readings = parse(body);
            } catch (IllegalArgumentException e) {
                deadLetters.record("eniscope", a.name() + "/" + channelId, e.getMessage(), body.toString());
                throw new EniscopeClient.ApiFailure("bad readings body: " + e.getMessage(), 200);
            }
            if (!target.deviceZone()
                    && readings.zone() != null
                    && !readings.zone().equals(meter.zone())) {
                meter = withZone(meter, readings.zone()); // the device has none: the zone the readings name
            }
            stored += store(meter, readings);
            if (settled) {
                long last = readings.times().isEmpty()
                        ? Long.MIN_VALUE
                        : readings.times().stream().mapToLong(t -> t).max().getAsLong() + readings.resolution();
                if (to <= settledBefore) {
                    watermark = to; // old enough: a device would have uploaded it by now
                } else if (last >= to) {
                    watermark = to;
                } else {
                    watermark = Math.max(watermark, Math.min(last, to)); // a device may still upload the rest
                    settled = false;
                }
            }
            channels.polled(a.name(), channelId, watermark, null);
            from = to;
        }
        return stored;
    }

    /**
     * The readings of a window in the fields the channel has. A field it answers "Invalid
     * Parameter" for is found by asking for each field alone, and is then left out; when every
     * field alone fails so, it is not the fields, and the failure stands.
     */
    private JsonNode readings(EniscopeAccount a, EniscopeClient client, String channelId, long from, long to)
            throws EniscopeClient.ApiFailure, InterruptedException {
        Set<String> missing =
                unsupported.computeIfAbsent(a.name() + "/" + channelId, k -> ConcurrentHashMap.newKeySet());
        List<String> fields =
                a.readings().fields().stream().filter(f -> !missing.contains(f)).toList();
        if (fields.isEmpty()) {
            throw new EniscopeClient.ApiFailure("the channel has none of the fields asked for: " + missing, 500);
        }
        try {
            return fetch(a, client, channelId, from, to, fields);
        } catch (EniscopeClient.InvalidParameter e) {
            List<String> bad = new ArrayList<>();
            for (String f : fields) {
                try {
                    fetch(a, client, channelId, from, to, List.of(f));
                } catch (EniscopeClient.InvalidParameter alone) {
                    bad.add(f);
                }
            }
            if (bad.isEmpty() || bad.size() == fields.size()) {
                throw e;
            }
            missing.addAll(bad);
            LOG.warn("eniscope account={} channel={} has no field {}: left out from now on", a.name(), channelId, bad);
            return fetch(
                    a,
                    client,
                    channelId,
                    from,
                    to,
                    fields.stream().filter(f -> !bad.contains(f)).toList());
        }
    }

    private static JsonNode fetch(
            EniscopeAccount a, EniscopeClient client, String channelId, long from, long to, List<String> fields)
            throws EniscopeClient.ApiFailure, InterruptedException {
        return client.readings(channelId, from, to, a.readings().resolution(), fields);
    }

    /** The fields a channel answered "Invalid Parameter" for (empty when none, or not polled yet). */
    public Set<String> unsupportedFields(String account, String channelId) {
        return Set.copyOf(unsupported.getOrDefault(account + "/" + channelId, Set.of()));
    }

    private static Meter withZone(Meter m, ZoneId zone) {
        return new Meter(
                m.id(), m.serial(), m.site(), m.transformer(), m.description(), zone, m.signalKinds(), m.maxKw());
    }

    /**
     * One readings body: the record times (epoch seconds), the values per signal (in the units
     * stored), each signal's unit, the resolution, and the zone the body names (null: none).
     */
    record Readings(
            List<Long> times, Map<String, double[]> columns, Map<String, String> units, int resolution, ZoneId zone) {}

    /** Records as columns. Throws on a body that is not readings. */
    static Readings parse(JsonNode body) {
        JsonNode records = body.get("records");
        if (records == null || !records.isArray()) {
            throw new IllegalArgumentException("no records array");
        }
        if (!body.path("resolution").canConvertToInt()) {
            throw new IllegalArgumentException("no resolution");
        }
        JsonNode unitMap = body.path("units");
        Map<String, double[]> columns = new LinkedHashMap<>();
        Map<String, String> units = new LinkedHashMap<>();
        Map<String, Unit> fieldUnits = new HashMap<>();
        List<Long> times = new ArrayList<>();
        int n = records.size();
        for (int i = 0; i < n; i++) {
            JsonNode r = records.get(i);
            JsonNode ts = r.get("ts");
            if (ts == null || !ts.canConvertToLong()) {
                throw new IllegalArgumentException("record " + i + " has no numeric ts");
            }
            times.add(ts.asLong());
            Iterator<Map.Entry<String, JsonNode>> fields = r.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                String field = f.getKey();
                if (field.equals("ts")) {
                    continue;
                }
                Unit unit = fieldUnits.computeIfAbsent(
                        field, k -> unit(k, unitMap.path(k).asText(null)));
                String signal = signal(field, unit);
                double[] col = columns.computeIfAbsent(signal, k -> {
                    double[] c = new double[n];
                    Arrays.fill(c, Double.NaN);
                    return c;
                });
                if (unit != null) {
                    units.put(signal, unit.symbol());
                }
                JsonNode v = f.getValue();
                if (v != null && v.isNumber()) {
                    col[i] = unit == null ? v.asDouble() : unit.convert(v.asDouble());
                } else if (v != null && !v.isNull()) {
                    throw new IllegalArgumentException("record " + i + " field " + field + " is not numeric: " + v);
                }
            }
        }
        return new Readings(
                times, columns, units, body.path("resolution").asInt(), zone(text(body, "timeZone", null), null));
    }

    private long store(Meter template, Readings readings) {
        if (readings.times().isEmpty() || readings.columns().isEmpty()) {
            return 0;
        }
        Meter meter = registry.findOrRegister(template.id(), id -> template);
        String[] names = readings.columns().keySet().toArray(new String[0]);
        for (String name : names) {
            String unit = readings.units().get(name);
            Unit u = unit == null ? null : Unit.of(unit);
            // energy fields are amounts per interval (no showCounters): summed, never averaged
            series.register(
                    meter,
                    name,
                    new SignalDescription(unit, u != null && u.energy() ? SignalKind.INTERVAL : null, null));
        }
        return writer.write(meter, batch -> {
                    batch.columns(names);
                    double[] row = new double[names.length];
                    for (int i = 0; i < readings.times().size(); i++) {
                        for (int c = 0; c < names.length; c++) {
                            row[c] = readings.columns().get(names[c])[i];
                        }
                        batch.row(readings.times().get(i) * 1000, row);
                    }
                })
                .samples();
    }

    static String meterId(String channelId) {
        return "eniscope-" + channelId.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /**
     * The signal name of an Eniscope field in its unit: energy per interval and power with the
     * unit in the name ({@code E1} in Wh → {@code E1_interval_kwh}, {@code Q} in VAr →
     * {@code Q_kvar}), {@code V}, {@code I}, {@code T} as they always were ({@code V_v},
     * {@code I_a}, {@code T_c}), any other field as it is.
     */
    static String signal(String field, Unit unit) {
        if (unit != null && unit.quantity() == Unit.Quantity.ENERGY) {
            return field + "_interval_" + unit.symbol().toLowerCase(Locale.ROOT);
        }
        if (unit != null && unit.quantity() == Unit.Quantity.POWER) {
            return field + "_" + unit.symbol().toLowerCase(Locale.ROOT);
        }
        return switch (field) {
            case "V" -> "V_v";
            case "I" -> "I_a";
            case "T" -> "T_c";
            default -> field;
        };
    }

    /**
     * The unit of a field: as the response's {@code units} map names it, else as the API's field
     * catalogue gives it (energy fields Wh, VArh or VAh; power W, VAr or VA; volts, amperes,
     * degrees); null for a field without one (power factor, counters of pulses).
     */
    static Unit unit(String field, String named) {
        if (named != null && !named.isBlank() && !named.equalsIgnoreCase("Unix Time")) {
            return Unit.of(named);
        }
        String f = field.replaceAll("[0-9]+$", "");
        String catalogue =
                switch (f) {
                    case "E", "Ex", "Er", "Exr" -> "Wh";
                    case "RE", "REx" -> "VArh";
                    case "AE" -> "VAh";
                    case "P", "Pmax" -> "W";
                    case "Q", "Qmax" -> "VAr";
                    case "S", "Smax" -> "VA";
                    case "V", "U" -> "V";
                    case "I", "In", "Imax" -> "A";
                    case "T", "Ti", "Te" -> "°C";
                    case "F" -> "Hz";
                    case "D" -> "%";
                    default -> null;
                };
        return catalogue == null ? null : Unit.of(catalogue);
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
