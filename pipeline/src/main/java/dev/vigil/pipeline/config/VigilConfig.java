package dev.vigil.pipeline.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.description.HtmlFormatter;
import org.apache.flink.util.TimeUtils;

/**
 * The job's configuration: {@link VigilOptions} read from an optional YAML file (nested maps or
 * dotted keys) and then overridden by {@code --key value} pairs. Unknown keys are an error that
 * names the closest known key, so a typo never silently falls back to a default.
 */
public final class VigilConfig {

    private final Configuration configuration;

    private VigilConfig(Configuration configuration) {
        this.configuration = configuration;
    }

    /** Exactly these settings (validated). */
    public static VigilConfig of(Configuration configuration) {
        VigilConfig config = new VigilConfig(new Configuration(configuration));
        config.detection();
        return config;
    }

    /** Defaults only. */
    public static VigilConfig defaults() {
        return new VigilConfig(new Configuration());
    }

    /**
     * @param file YAML file, or {@code null}
     * @param overrides key → value, applied after the file
     */
    public static VigilConfig load(Path file, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        if (file != null) {
            values.putAll(readYaml(file));
        }
        values.putAll(overrides);
        rejectUnknownKeys(values.keySet(), file);
        Configuration configuration = Configuration.fromMap(values);
        VigilConfig config = new VigilConfig(configuration);
        config.detection(); // validates eagerly: a bad value fails at start, not in a task
        return config;
    }

    /** Parses {@code --key value} / {@code --key=value} pairs. */
    public static Map<String, String> parseOverrides(List<String> args) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException(
                        "Unexpected argument '" + arg + "': settings are given as --key value.");
            }
            String key = arg.substring(2);
            int eq = key.indexOf('=');
            if (eq > 0) {
                overrides.put(key.substring(0, eq), key.substring(eq + 1));
            } else if (i + 1 < args.size()) {
                overrides.put(key, args.get(++i));
            } else {
                throw new IllegalArgumentException("Setting --" + key + " has no value.");
            }
        }
        return overrides;
    }

    public Configuration configuration() {
        return new Configuration(configuration);
    }

    public <T> T get(ConfigOption<T> option) {
        return configuration.get(option);
    }

    public DetectionSettings detection() {
        return DetectionSettings.from(configuration);
    }

    /** Every key of {@link VigilOptions}. */
    public static List<ConfigOption<?>> allOptions() {
        List<ConfigOption<?>> options = new ArrayList<>();
        for (Field field : VigilOptions.class.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == ConfigOption.class) {
                try {
                    options.add((ConfigOption<?>) field.get(null));
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return options;
    }

    /**
     * The README's configuration reference: a Markdown table of every setting, its default and
     * description.
     */
    public static String referenceTable() {
        StringBuilder sb =
                new StringBuilder("| key | default | description |\n| --- | --- | --- |\n");
        HtmlFormatter formatter = new HtmlFormatter();
        for (ConfigOption<?> option : allOptions()) {
            sb.append("| `")
                    .append(option.key())
                    .append("` | ")
                    .append(option.hasDefaultValue() ? defaultText(option.defaultValue()) : "—")
                    .append(" | ")
                    .append(formatter.format(option.description()).replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }

    private static String defaultText(Object value) {
        return value instanceof Duration
                ? TimeUtils.formatWithHighestUnit((Duration) value)
                : String.valueOf(value);
    }

    private static Map<String, String> readYaml(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "Config file "
                            + file.toAbsolutePath()
                            + " does not exist. Pass an existing YAML file.");
        }
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
            Map<String, String> values = new LinkedHashMap<>();
            if (root != null && !root.isMissingNode() && !root.isNull()) {
                if (!root.isObject()) {
                    throw new IllegalArgumentException(
                            "Config file " + file + " must contain a YAML mapping of settings.");
                }
                flatten("", root, values);
            }
            return values;
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "Config file " + file + " is not valid YAML: " + e.getMessage(), e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                flatten(
                        prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                        e.getValue(),
                        out);
            }
        } else {
            out.put(prefix, node.asText());
        }
    }

    private static void rejectUnknownKeys(Iterable<String> keys, Path file) {
        TreeSet<String> known = new TreeSet<>();
        for (ConfigOption<?> option : allOptions()) {
            known.add(option.key());
        }
        for (String key : keys) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException(
                        "Unknown setting '"
                                + key
                                + "'"
                                + (file == null ? "" : " (from " + file + " or the command line)")
                                + ". Did you mean '"
                                + closest(key, known)
                                + "'? Known settings are listed in the"
                                + " README's configuration reference.");
            }
        }
    }

    private static String closest(String key, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int d = editDistance(key, candidate);
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
