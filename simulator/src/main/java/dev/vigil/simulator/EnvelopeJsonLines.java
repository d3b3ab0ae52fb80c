package dev.vigil.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.common.model.Envelope;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

/**
 * Envelopes as JSON lines: {@code {"topic":"...","payload_b64":"...","receivedAt":1767225600123}}
 * per line (the payload base64-encoded because collectd payloads end with a NUL byte).
 */
public final class EnvelopeJsonLines {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EnvelopeJsonLines() {}

    public static String toLine(Envelope envelope) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("topic", envelope.getTopic());
        node.put("payload_b64", Base64.getEncoder().encodeToString(envelope.getPayload()));
        node.put("receivedAt", envelope.getReceivedAt());
        return node.toString();
    }

    public static Envelope fromLine(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            return new Envelope(
                    node.get("topic").asText(),
                    Base64.getDecoder().decode(node.get("payload_b64").asText()),
                    node.get("receivedAt").asLong());
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an envelope line: " + line, e);
        }
    }

    /** Writes all envelopes; returns how many were written. */
    public static long write(Iterator<Envelope> envelopes, Path file) throws IOException {
        long count = 0;
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (envelopes.hasNext()) {
                out.write(toLine(envelopes.next()));
                out.write('\n');
                count++;
            }
        }
        return count;
    }

    /** Reads every non-blank line of the file. */
    public static List<Envelope> read(Path file) throws IOException {
        List<Envelope> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            in.lines().filter(l -> !l.isBlank()).forEach(l -> out.add(fromLine(l)));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return out;
    }
}
