package io.meterflow.export.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.meterflow.series.Aggregation;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterRegistry;
import io.meterflow.series.Resolution;
import io.meterflow.settings.ConfigException;
import io.meterflow.settings.YamlConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads {@code exports.yaml}. A bad definition stops the engine at start with a message naming
 * the key, e.g. {@code exports[1].cron: not a Quartz cron expression: 0 0 25 * * ?}.
 */
public final class ExportsFile {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private ExportsFile() {}

    public static List<ScheduledExport> read(Path file, MeterRegistry registry) {
        JsonNode root = YamlConfig.read(file);
        List<ScheduledExport> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        JsonNode list = root.path("exports");
        for (int i = 0; i < list.size(); i++) {
            ScheduledExport e = definition(file + ": exports[" + i + "]", list.get(i), registry);
            if (!names.add(e.name())) {
                throw new ConfigException(file + ": exports[" + i + "].name: '" + e.name() + "' is defined twice");
            }
            out.add(e);
        }
        return out;
    }

    private static ScheduledExport definition(String key, JsonNode n, MeterRegistry registry) {
        String name = YamlConfig.required(key, n, "name");
        if (!NAME.matcher(name).matches()) {
            throw new ConfigException(key + ".name: may hold only letters, digits, '_' and '-' (at most 64)");
        }
        String cron = YamlConfig.cron(key, n, "cron", YamlConfig.required(key, n, "cron"));
        ZoneId zone = YamlConfig.zone(key, n, "timezone", registry.defaultZone());
        List<Meter> meters = new ArrayList<>();
        String site = YamlConfig.text(n, "site", null);
        for (JsonNode id : n.path("meters")) {
            Meter m = registry.find(id.asText());
            if (m == null) {
                throw new ConfigException(key + ".meters: unknown meter '" + id.asText() + "'");
            }
            meters.add(m);
        }
        if (site != null) {
            for (Meter m : registry.all()) {
                if (site.equals(m.site()) && !meters.contains(m)) {
                    meters.add(m);
                }
            }
            if (meters.isEmpty()) {
                throw new ConfigException(key + ".site: no meter of meters.yaml is at site '" + site + "'");
            }
        }
        if (meters.isEmpty()) {
            throw new ConfigException(key + ": needs 'meters' (a list of meter ids) or 'site'");
        }
        Resolution resolution =
                parse(key + ".resolution", () -> Resolution.parse(YamlConfig.text(n, "resolution", "15min")));
        Aggregation aggregation =
                parse(key + ".aggregation", () -> Aggregation.parse(YamlConfig.text(n, "aggregation", "auto")));
        ExportWindow window =
                parse(key + ".window", () -> ExportWindow.parse(YamlConfig.text(n, "window", "previous-day")));
        String base = YamlConfig.text(
                n, "base_filename", meters.size() == 1 ? meters.get(0).serial() : name + "-");
        JsonNode dest = n.path("destinations");
        String folder = YamlConfig.text(dest, "folder", null);
        if (folder != null && (folder.contains("..") || Path.of(folder).isAbsolute())) {
            throw new ConfigException(
                    key + ".destinations.folder: must be a relative path under the outbox, without '..'");
        }
        ScheduledExport.Http http = dest.has("http") ? http(key + ".destinations.http", dest.get("http")) : null;
        if (folder == null && http == null) {
            throw new ConfigException(key + ".destinations: needs a 'folder', an 'http' endpoint, or both");
        }
        return new ScheduledExport(
                name,
                n.path("enabled").asBoolean(true),
                cron,
                zone,
                new ScheduledExport.Content(
                        meters, site, resolution, aggregation, window, base, YamlConfig.text(n, "filename", null)),
                new ScheduledExport.Destinations(folder, http));
    }

    private static ScheduledExport.Http http(String key, JsonNode n) {
        String url = YamlConfig.required(key, n, "url");
        try {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http")) {
                throw new IllegalArgumentException("not http(s)");
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ".url: not an http(s) URL: " + url);
        }
        String method = YamlConfig.text(n, "method", "POST").toUpperCase(Locale.ROOT);
        if (!method.equals("POST") && !method.equals("PUT")) {
            throw new ConfigException(key + ".method: expected POST or PUT, got " + method);
        }
        String body = YamlConfig.text(n, "body", "text/csv");
        if (!body.equals("text/csv") && !body.equals("multipart")) {
            throw new ConfigException(key + ".body: expected text/csv or multipart, got " + body);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        n.path("headers")
                .fields()
                .forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
        return new ScheduledExport.Http(
                method, url, headers, YamlConfig.text(n, "token_env", null), body.equals("multipart"));
    }

    private interface Parse<T> {
        T get();
    }

    private static <T> T parse(String key, Parse<T> p) {
        try {
            return p.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(key + ": " + e.getMessage());
        }
    }
}
