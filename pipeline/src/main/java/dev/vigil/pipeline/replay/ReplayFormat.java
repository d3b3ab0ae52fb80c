package dev.vigil.pipeline.replay;

import java.nio.file.Path;
import java.util.Locale;

/** Input formats of {@code ./vigil replay}. */
public enum ReplayFormat {
    /** {@code timestamp,value} rows (the NAB layout), one series named after the file. */
    CSV,
    /**
     * Envelopes as JSON lines: {@code {"topic": ..., "payload": "..." | "payload_b64": "...",
     * "receivedAt": ms}}.
     */
    JSONL,
    /** InfluxDB line protocol, one point per line (routed like Telegraf's MQTT output). */
    LP;

    public static ReplayFormat of(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "csv":
                return CSV;
            case "jsonl":
            case "json":
                return JSONL;
            case "lp":
            case "line-protocol":
                return LP;
            default:
                throw new IllegalArgumentException(
                        "Unknown replay format '" + name + "'. Use csv, jsonl or lp.");
        }
    }

    /**
     * Guesses the format from the file extension ({@code .csv}, {@code .jsonl}/{@code .json},
     * {@code .lp}).
     */
    public static ReplayFormat guess(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".json")) {
            return JSONL;
        }
        if (name.endsWith(".lp") || name.endsWith(".txt")) {
            return LP;
        }
        throw new IllegalArgumentException(
                "Cannot tell the format of "
                        + file
                        + " from its extension: pass --format csv|jsonl|lp.");
    }
}
