package dev.vigil.common.routing;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Which payload format (and options) applies to which MQTT topic. Routes are tried in order; the
 * first whose topic pattern matches wins.
 *
 * <pre>
 * routes:
 *   - topic: "sensors/{device}/telemetry"
 *     format: json
 *     measurement: environment
 *     tag-fields: [id, city, host]
 *     timestamp-field: timestamp
 *   - topic: "telegraf/{host}"
 *     format: line-protocol
 *     precision: ns
 *   - topic: "collectd/#"
 *     format: collectd
 * </pre>
 */
public final class RoutingConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Classpath resource holding the built-in routing. */
    public static final String BUILT_IN_RESOURCE = "vigil-routing.yaml";

    private static final Set<String> ROUTE_KEYS =
            Set.of("topic", "format", "measurement", "tag-fields", "timestamp-field", "precision");

    private static final YAMLFactory YAML = new YAMLFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(YAML);

    private final List<Route> routes;

    public RoutingConfig(List<Route> routes) {
        if (routes == null || routes.isEmpty()) {
            throw new RoutingConfigException("the routing has no routes");
        }
        this.routes = Collections.unmodifiableList(new ArrayList<>(routes));
    }

    /** The routing shipped in the classpath resource {@value #BUILT_IN_RESOURCE}. */
    public static RoutingConfig builtIn() {
        String source = "built-in " + BUILT_IN_RESOURCE;
        try (InputStream in =
                RoutingConfig.class.getClassLoader().getResourceAsStream(BUILT_IN_RESOURCE)) {
            if (in == null) {
                throw new RoutingConfigException(source + " is missing from the classpath");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new RoutingConfigException("Cannot read " + source + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a routing YAML file.
     *
     * @throws RoutingConfigException naming the file and the problem
     */
    public static RoutingConfig load(Path yamlFile) {
        String source = "routing file " + yamlFile;
        String yaml;
        try {
            yaml = Files.readString(yamlFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RoutingConfigException(
                    "Cannot read "
                            + source
                            + ": "
                            + e.getClass().getSimpleName()
                            + " "
                            + e.getMessage(),
                    e);
        }
        return parse(yaml, source);
    }

    /**
     * Parses routing YAML.
     *
     * @throws RoutingConfigException saying what is wrong and where
     */
    public static RoutingConfig fromYaml(String yaml) {
        return parse(yaml, "routing YAML");
    }

    public List<Route> routes() {
        return routes;
    }

    /** The first route whose topic pattern matches {@code topic}, or null. */
    public Route routeFor(String topic) {
        for (Route route : routes) {
            if (route.topic().matches(topic)) {
                return route;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "RoutingConfig" + routes;
    }

    private static RoutingConfig parse(String yaml, String source) {
        if (yaml == null || yaml.isBlank()) {
            throw new RoutingConfigException(source + " is empty; expected a 'routes:' list");
        }
        try (JsonParser parser = YAML.createParser(yaml)) {
            parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            List<Route> routes = parseDocument(parser, source);
            if (routes.isEmpty()) {
                throw new RoutingConfigException(source + ": 'routes' is empty; add at least one");
            }
            return new RoutingConfig(routes);
        } catch (JsonProcessingException e) {
            throw new RoutingConfigException(
                    source + ": invalid YAML" + at(e.getLocation()) + ": " + e.getOriginalMessage(),
                    e);
        } catch (IOException e) {
            throw new RoutingConfigException(source + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static List<Route> parseDocument(JsonParser parser, String source) throws IOException {
        JsonToken token = parser.nextToken();
        if (token != JsonToken.START_OBJECT) {
            throw new RoutingConfigException(
                    source
                            + at(parser.currentTokenLocation())
                            + ": expected a mapping with a 'routes:' list at the top level");
        }
        List<Route> routes = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String key = parser.currentName();
            JsonLocation location = parser.currentTokenLocation();
            parser.nextToken();
            if (!key.equals("routes")) {
                throw new RoutingConfigException(
                        source + at(location) + ": unknown key '" + key + "'; expected 'routes'");
            }
            routes = parseRoutes(parser, source);
        }
        if (routes == null) {
            throw new RoutingConfigException(source + ": the 'routes:' list is missing");
        }
        return routes;
    }

    private static List<Route> parseRoutes(JsonParser parser, String source) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw new RoutingConfigException(
                    source + at(parser.currentTokenLocation()) + ": 'routes' must be a list");
        }
        List<Route> routes = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            JsonLocation location = parser.currentTokenLocation();
            JsonNode node = MAPPER.readTree(parser);
            String where = source + ": route #" + (routes.size() + 1) + at(location);
            try {
                routes.add(toRoute(node));
            } catch (IllegalArgumentException e) {
                throw new RoutingConfigException(where + ": " + e.getMessage(), e);
            }
        }
        return routes;
    }

    private static Route toRoute(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException(
                    "expected a mapping with 'topic' and 'format', got " + describe(node));
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ROUTE_KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown key '"
                                + key
                                + "'; allowed keys are topic, format, measurement, tag-fields,"
                                + " timestamp-field, precision");
            }
        }
        String topic = requiredText(node, "topic");
        String formatName = requiredText(node, "format");
        PayloadFormat format = PayloadFormat.fromYamlName(formatName);
        if (format == null) {
            throw new IllegalArgumentException(
                    "topic '"
                            + topic
                            + "' has unknown format '"
                            + formatName
                            + "'; expected one of: "
                            + PayloadFormat.allYamlNames());
        }
        TimePrecision precision = null;
        String precisionName = optionalText(node, "precision");
        if (precisionName != null) {
            precision = TimePrecision.fromYamlName(precisionName);
            if (precision == null) {
                throw new IllegalArgumentException(
                        "topic '"
                                + topic
                                + "' has unknown precision '"
                                + precisionName
                                + "'; expected one of: s, ms, us, ns");
            }
        }
        try {
            return new Route(
                    topic,
                    format,
                    optionalText(node, "measurement"),
                    textList(node, "tag-fields"),
                    optionalText(node, "timestamp-field"),
                    precision);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("topic '" + topic + "': " + e.getMessage(), e);
        }
    }

    private static String requiredText(JsonNode node, String key) {
        String value = optionalText(node, key);
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value;
    }

    private static String optionalText(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode() || value.isBoolean()) {
            throw new IllegalArgumentException(
                    "'" + key + "' must be a text, got " + describe(value));
        }
        return value.asText();
    }

    private static List<String> textList(JsonNode node, String key) {
        JsonNode value = node.get(key);
        List<String> result = new ArrayList<>();
        if (value == null || value.isNull()) {
            return result;
        }
        if (!value.isArray()) {
            throw new IllegalArgumentException(
                    "'" + key + "' must be a list like [a, b], got " + describe(value));
        }
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(
                        "'" + key + "' must only hold texts, got " + describe(item));
            }
            result.add(item.asText());
        }
        return result;
    }

    private static String describe(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        return "'" + node.asText() + "'";
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
