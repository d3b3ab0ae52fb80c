package dev.vigil.common.routing;

/** The payload formats a route can declare, with their names in the routing YAML. */
public enum PayloadFormat {
    JSON("json"),
    LINE_PROTOCOL("line-protocol"),
    COLLECTD("collectd");

    private final String yamlName;

    PayloadFormat(String yamlName) {
        this.yamlName = yamlName;
    }

    public String yamlName() {
        return yamlName;
    }

    /** The format named {@code name} in YAML, or {@code null} if there is none. */
    public static PayloadFormat fromYamlName(String name) {
        for (PayloadFormat format : values()) {
            if (format.yamlName.equals(name)) {
                return format;
            }
        }
        return null;
    }

    /** {@code json, line-protocol, collectd} — for error messages. */
    public static String allYamlNames() {
        StringBuilder sb = new StringBuilder();
        for (PayloadFormat format : values()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(format.yamlName);
        }
        return sb.toString();
    }
}
