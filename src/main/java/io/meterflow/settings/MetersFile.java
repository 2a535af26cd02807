package io.meterflow.settings;

import com.fasterxml.jackson.databind.JsonNode;
import io.meterflow.series.Meter;
import io.meterflow.series.MeterId;
import io.meterflow.series.SignalKind;
import io.meterflow.series.SignalKindRules;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code meters.yaml}: the meter list and the signal-kind rules. Every problem is reported
 * with the path of the offending key, e.g. {@code meters[2].timezone}.
 */
public final class MetersFile {

    /** What the file holds. */
    public record Contents(List<Meter> meters, List<SignalKindRules.Rule> kindRules) {}

    private MetersFile() {}

    public static Contents read(Path file, ZoneId defaultZone) {
        JsonNode root = YamlConfig.read(file);
        return new Contents(meters(file, root.path("meters"), defaultZone), rules(file, root.path("signal_kinds")));
    }

    private static List<Meter> meters(Path file, JsonNode list, ZoneId defaultZone) {
        List<Meter> meters = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String key = "meters[" + i + "]";
            String id = node.path("id").asText(null);
            String problem = MeterId.problem(id);
            if (problem != null) {
                throw new ConfigException(file + ": " + key + ".id: " + problem);
            }
            if (!seen.add(id)) {
                throw new ConfigException(file + ": " + key + ".id: meter '" + id + "' is listed twice");
            }
            ZoneId zone = defaultZone;
            if (node.hasNonNull("timezone")) {
                try {
                    zone = ZoneId.of(node.get("timezone").asText());
                } catch (DateTimeException e) {
                    throw new ConfigException(file + ": " + key + ".timezone: not an IANA timezone: "
                            + node.get("timezone").asText());
                }
            }
            Map<String, SignalKind> kinds = new LinkedHashMap<>();
            var fields = node.path("signals").fields();
            while (fields.hasNext()) {
                var entry = fields.next();
                try {
                    kinds.put(entry.getKey(), SignalKind.parse(entry.getValue().asText()));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(file + ": " + key + ".signals." + entry.getKey() + ": " + e.getMessage());
                }
            }
            String serial = YamlConfig.text(node, "serial", id + "-");
            double maxKw = Double.POSITIVE_INFINITY;
            if (node.hasNonNull("max_kw")) {
                maxKw = node.get("max_kw").asDouble(Double.NaN);
                if (!(maxKw > 0)) {
                    throw new ConfigException(file + ": " + key + ".max_kw: expected a positive number, got '"
                            + node.get("max_kw").asText() + "'");
                }
            }
            meters.add(new Meter(
                    id,
                    serial,
                    YamlConfig.text(node, "site", null),
                    YamlConfig.text(node, "transformer", null),
                    YamlConfig.text(node, "description", null),
                    zone,
                    kinds,
                    maxKw,
                    columns(file, key, node)));
        }
        return meters;
    }

    /** The column names of a meter's files without a header row: a list of distinct, non-blank names. */
    private static List<String> columns(Path file, String key, JsonNode node) {
        List<String> columns = new ArrayList<>();
        JsonNode list = node.path("columns");
        if (!list.isMissingNode() && !list.isNull() && !list.isArray()) {
            throw new ConfigException(file + ": " + key + ".columns: expected a list of column names");
        }
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).asText("").trim();
            if (name.isEmpty() || !list.get(i).isValueNode()) {
                throw new ConfigException(file + ": " + key + ".columns[" + i + "]: expected a column name");
            }
            if (columns.contains(name)) {
                throw new ConfigException(file + ": " + key + ".columns[" + i + "]: '" + name + "' is listed twice");
            }
            columns.add(name);
        }
        return columns;
    }

    private static List<SignalKindRules.Rule> rules(Path file, JsonNode list) {
        List<SignalKindRules.Rule> rules = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode node = list.get(i);
            String key = "signal_kinds[" + i + "]";
            if (!node.hasNonNull("pattern") || !node.hasNonNull("kind")) {
                throw new ConfigException(file + ": " + key + ": needs both 'pattern' and 'kind'");
            }
            try {
                rules.add(SignalKindRules.Rule.of(
                        node.get("pattern").asText(),
                        SignalKind.parse(node.get("kind").asText())));
            } catch (RuntimeException e) {
                throw new ConfigException(file + ": " + key + ": " + e.getMessage());
            }
        }
        return rules;
    }
}
