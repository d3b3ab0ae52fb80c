package dev.vigil.simulator;

/** The kinds of malformed message the simulator mixes into the stream (each counted). */
public enum MalformedKind {
    /** A sensor JSON payload cut in the middle (topic {@code sensors/<device>/telemetry}). */
    TRUNCATED_JSON,
    /** A line-protocol line whose field has no {@code =value} (topic {@code telegraf/<host>}). */
    BAD_LINE_PROTOCOL,
    /** A collectd payload whose value is {@code nan} (topic {@code collectd/<host>/cpu-0/...}). */
    NAN_COLLECTD,
    /**
     * A well-formed payload on a topic no route matches ({@code unrouted/<device>/diagnostics}).
     */
    UNKNOWN_TOPIC
}
