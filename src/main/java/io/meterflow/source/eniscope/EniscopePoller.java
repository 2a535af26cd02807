package io.meterflow.source.eniscope;

import com.fasterxml.jackson.databind.JsonNode;
import io.meterflow.ingest.SampleWriter;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.store.DeadLetters;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls Eniscope readings: per account, the channels (configured, or discovered page by page with
 * their organizations and devices and kept in the reference tables), then per channel the readings
 * from its watermark to now in windows (a first run backfills {@code backfillDays}). A channel becomes meter
 * {@code eniscope-<channelId>}; fields become signals with explicit units: {@code E} (Wh per
 * interval) → {@code E_interval_kwh}, {@code P} (W) → {@code P_kw}, {@code V} → {@code V_v},
 * {@code I} → {@code I_a}, {@code PF}, {@code T} → {@code T_c}. The resolution is read from each
 * response (the server may coarsen it). A window is stored in one transaction and only then does
 * the watermark move; a bad body is dead-lettered and the watermark stays. One failing channel
 * never stops the others.
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
    private final Map<String, EniscopeClient> clients = new ConcurrentHashMap<>();
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
            long backoffMillis) {
        this.accounts = accounts;
        this.registry = registry;
        this.writer = writer;
        this.channels = channels;
        this.references = references;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.attempts = attempts;
        this.backoffMillis = backoffMillis;
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
            return poll(account);
        }
    }

    private Map<String, Object> poll(EniscopeAccount a) throws InterruptedException {
        // one client per account: its session token is reused from run to run
        EniscopeClient client =
                clients.computeIfAbsent(a.name(), k -> new EniscopeClient(a.login(), attempts, backoffMillis));
        Map<String, Object> result = new LinkedHashMap<>();
        Map<String, Meter> meters = new LinkedHashMap<>(); // channel id -> the meter it becomes
        try {
            if (a.scope().channels().isEmpty()) {
                discover(a, client, meters, result);
            } else {
                for (String id : a.scope().channels()) {
                    channels.save(a.name(), id, null, null, null, null, meterId(id));
                    meters.put(id, Meter.discovered(meterId(id), registry.defaultZone()));
                }
            }
        } catch (EniscopeClient.ApiFailure e) {
            LOG.warn("eniscope account={} discovery failed: {}", a.name(), e.getMessage());
            result.put("error", e.getMessage());
            return result;
        }
        long samples = 0;
        List<String> failed = new ArrayList<>();
        for (Map.Entry<String, Meter> ch : meters.entrySet()) {
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
            EniscopeAccount a, EniscopeClient client, Map<String, Meter> meters, Map<String, Object> result)
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
            ZoneId zone = zone(
                    device == null ? null : device.timeZone(),
                    zone(organization == null ? null : organization.timeZone(), registry.defaultZone()));
            meters.put(
                    id,
                    new Meter(
                            meterId(id),
                            meterId(id) + "-",
                            organization == null ? null : organization.name(),
                            null,
                            name,
                            zone,
                            Map.of(),
                            Double.POSITIVE_INFINITY));
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

    private long pollChannel(EniscopeAccount a, EniscopeClient client, String channelId, Meter meter)
            throws EniscopeClient.ApiFailure, InterruptedException {
        long now = clock.instant().getEpochSecond();
        long step = a.readings().resolution();
        long end = now - Math.floorMod(now, step);
        Long mark = channels.watermark(a.name(), channelId);
        long from = mark != null ? mark : end - a.readings().backfillDays() * 86_400L;
        long stored = 0;
        while (from < end) {
            long to = Math.min(from + a.readings().windowHours() * 3600L, end);
            JsonNode body;
            try {
                body = client.readings(
                        channelId,
                        from,
                        to,
                        a.readings().resolution(),
                        a.readings().fields());
            } catch (EniscopeClient.BadBody e) {
                deadLetters.record("eniscope", a.name() + "/" + channelId, e.getMessage(), e.body);
                throw e;
            }
            List<long[]> times = new ArrayList<>();
            Map<String, double[]> columns;
            try {
                columns = parse(body, times);
            } catch (IllegalArgumentException e) {
                deadLetters.record("eniscope", a.name() + "/" + channelId, e.getMessage(), body.toString());
                throw new EniscopeClient.ApiFailure("bad readings body: " + e.getMessage(), 200);
            }
            stored += store(meter, times, columns);
            long next = to;
            channels.polled(a.name(), channelId, next, null);
            from = next;
        }
        return stored;
    }

    /** Records as columns; {@code times} receives the timestamps. Throws on a body that is not readings. */
    static Map<String, double[]> parse(JsonNode body, List<long[]> times) {
        JsonNode records = body.get("records");
        if (records == null || !records.isArray()) {
            throw new IllegalArgumentException("no records array");
        }
        if (!body.path("resolution").canConvertToInt()) {
            throw new IllegalArgumentException("no resolution");
        }
        Map<String, double[]> columns = new LinkedHashMap<>();
        int n = records.size();
        for (int i = 0; i < n; i++) {
            JsonNode r = records.get(i);
            JsonNode ts = r.get("ts");
            if (ts == null || !ts.canConvertToLong()) {
                throw new IllegalArgumentException("record " + i + " has no numeric ts");
            }
            times.add(new long[] {ts.asLong()});
            Iterator<Map.Entry<String, JsonNode>> fields = r.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getKey().equals("ts")) {
                    continue;
                }
                double[] col = columns.computeIfAbsent(signal(f.getKey()), k -> {
                    double[] c = new double[n];
                    Arrays.fill(c, Double.NaN);
                    return c;
                });
                JsonNode v = f.getValue();
                if (v != null && v.isNumber()) {
                    col[i] = v.asDouble() * scale(f.getKey());
                } else if (v != null && !v.isNull()) {
                    throw new IllegalArgumentException(
                            "record " + i + " field " + f.getKey() + " is not numeric: " + v);
                }
            }
        }
        return columns;
    }

    private long store(Meter template, List<long[]> times, Map<String, double[]> columns) {
        if (times.isEmpty() || columns.isEmpty()) {
            return 0;
        }
        Meter meter = registry.findOrRegister(template.id(), id -> template);
        String[] names = columns.keySet().toArray(new String[0]);
        return writer.write(meter, batch -> {
                    batch.columns(names);
                    double[] row = new double[names.length];
                    for (int i = 0; i < times.size(); i++) {
                        for (int c = 0; c < names.length; c++) {
                            row[c] = columns.get(names[c])[i];
                        }
                        batch.row(times.get(i)[0] * 1000, row);
                    }
                })
                .samples();
    }

    static String meterId(String channelId) {
        return "eniscope-" + channelId.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** The signal name of an Eniscope field, with its unit made explicit. */
    static String signal(String field) {
        return switch (field) {
            case "E" -> "E_interval_kwh";
            case "P" -> "P_kw";
            case "V" -> "V_v";
            case "I" -> "I_a";
            case "T" -> "T_c";
            default -> field;
        };
    }

    private static double scale(String field) {
        return field.equals("E") || field.equals("P") ? 0.001 : 1;
    }

    private static String text(JsonNode n, String field, String fallback) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? fallback : v.asText();
    }
}
