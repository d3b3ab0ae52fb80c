package dev.vigil.pipeline.replay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.common.model.Envelope;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads a replay file into envelopes, exactly as the bridge would have delivered them. CSV rows
 * become one line of line protocol each on topic {@code replay/<series>} (routed as line protocol
 * with millisecond precision), so every format goes through the job's own parser.
 */
public final class ReplayInput {

    /**
     * Topic prefix of replayed CSV rows; the built-in routing maps {@code replay/{series}} to line
     * protocol (ms).
     */
    public static final String CSV_TOPIC_PREFIX = "replay/";

    /**
     * Topic of replayed line protocol; routed like Telegraf (host tag "replay" unless the line has
     * one).
     */
    public static final String LP_TOPIC = "telegraf/replay";

    private static final DateTimeFormatter NAB_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSSSSS]");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The envelopes, and for CSV input the rows in file order (timestamp ms, value text). */
    public final List<Envelope> envelopes;

    public final List<CsvRow> rows;
    public final String series;

    /** One CSV data row. */
    public static final class CsvRow {
        public final long timestamp;
        public final String value;

        CsvRow(long timestamp, String value) {
            this.timestamp = timestamp;
            this.value = value;
        }
    }

    private ReplayInput(List<Envelope> envelopes, List<CsvRow> rows, String series) {
        this.envelopes = envelopes;
        this.rows = rows;
        this.series = series;
    }

    public static ReplayInput read(Path file, ReplayFormat format) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "Input file " + file.toAbsolutePath() + " does not exist.");
        }
        switch (format) {
            case CSV:
                return readCsv(file, seriesName(file));
            case JSONL:
                return new ReplayInput(readJsonLines(file), List.of(), null);
            case LP:
                return new ReplayInput(readLineProtocol(file), List.of(), null);
            default:
                throw new IllegalStateException(format.toString());
        }
    }

    /** Series name of a CSV file: its base name without extension, restricted to [A-Za-z0-9_.-]. */
    public static String seriesName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return sanitize(dot > 0 ? name.substring(0, dot) : name);
    }

    /**
     * Restricts a series name to [A-Za-z0-9_.-] (it becomes an MQTT topic segment and a tag value).
     */
    public static String sanitize(String name) {
        return name.replaceAll("[^A-Za-z0-9_.-]", "_");
    }

    /** Reads a NAB-layout CSV as the series {@code series} (topic {@code replay/<series>}). */
    public static ReplayInput readCsv(Path file, String series) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "Input file " + file.toAbsolutePath() + " does not exist.");
        }
        String topic = CSV_TOPIC_PREFIX + series;
        List<Envelope> envelopes = new ArrayList<>();
        List<CsvRow> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String header = reader.readLine();
            if (header == null || !header.trim().toLowerCase().startsWith("timestamp")) {
                throw new IllegalArgumentException(
                        file
                                + ": expected a header line 'timestamp,value' (the NAB layout), got '"
                                + header
                                + "'.");
            }
            String line;
            int lineNo = 1;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                int comma = line.indexOf(',');
                if (comma < 0) {
                    throw new IllegalArgumentException(
                            file
                                    + ":"
                                    + lineNo
                                    + ": expected 'timestamp,value', got '"
                                    + line
                                    + "'.");
                }
                long ts = parseTime(line.substring(0, comma).trim(), file, lineNo);
                String value = line.substring(comma + 1).trim();
                rows.add(new CsvRow(ts, value));
                envelopes.add(Envelope.of(topic, "replay value=" + value + " " + ts, ts));
            }
        }
        return new ReplayInput(envelopes, rows, series);
    }

    static long parseTime(String text, Path file, int lineNo) {
        try {
            if (text.chars().allMatch(Character::isDigit)) {
                long v = Long.parseLong(text);
                return v < 100_000_000_000L ? v * 1000 : v; // epoch seconds or milliseconds
            }
            if (text.endsWith("Z") || text.contains("+")) {
                return Instant.parse(text).toEpochMilli();
            }
            return LocalDateTime.parse(text, NAB_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    file
                            + ":"
                            + lineNo
                            + ": cannot read timestamp '"
                            + text
                            + "' (use 'yyyy-MM-dd HH:mm:ss' UTC, ISO-8601 or epoch s/ms).");
        }
    }

    private static List<Envelope> readJsonLines(Path file) throws IOException {
        List<Envelope> envelopes = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                envelopes.add(envelopeOf(JSON.readTree(line), file, lineNo));
            }
        }
        return envelopes;
    }

    private static Envelope envelopeOf(JsonNode node, Path file, int lineNo) {
        JsonNode topic = node.get("topic");
        JsonNode receivedAt = node.get("receivedAt");
        if (topic == null || receivedAt == null || !receivedAt.canConvertToLong()) {
            throw new IllegalArgumentException(
                    file
                            + ":"
                            + lineNo
                            + ": an envelope line needs \"topic\", \"receivedAt\" (epoch ms) and"
                            + " \"payload\" or \"payload_b64\".");
        }
        byte[] payload;
        if (node.hasNonNull("payload_b64")) {
            payload = Base64.getDecoder().decode(node.get("payload_b64").asText());
        } else if (node.hasNonNull("payload")) {
            payload = node.get("payload").asText().getBytes(StandardCharsets.UTF_8);
        } else {
            throw new IllegalArgumentException(
                    file + ":" + lineNo + ": the envelope has no payload.");
        }
        return new Envelope(topic.asText(), payload, receivedAt.asLong());
    }

    private static List<Envelope> readLineProtocol(Path file) throws IOException {
        List<Envelope> envelopes = new ArrayList<>();
        long receivedAt = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            envelopes.add(Envelope.of(LP_TOPIC, line, receivedAt++));
        }
        return envelopes;
    }
}
