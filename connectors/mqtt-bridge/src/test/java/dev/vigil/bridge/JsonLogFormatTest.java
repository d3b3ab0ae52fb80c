package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.junit.jupiter.api.Test;

/**
 * The bridge's own log configuration ({@code log4j2.properties} of the bridge jar) with {@code
 * vigil.log.format=json} (the system-property twin of {@code VIGIL_LOG_FORMAT=json}): every line is
 * one JSON object, messages with quotes, newlines and exceptions included.
 */
class JsonLogFormatTest {

    @Test
    void eachLogLineIsOneJsonObject() throws Exception {
        List<JsonNode> lines = logWithFormat("json");

        assertThat(lines).hasSize(2);
        JsonNode info = lines.get(0);
        assertThat(info.get("level").asText()).isEqualTo("INFO");
        assertThat(info.get("logger").asText()).isEqualTo("dev.vigil.bridge.Bridge");
        assertThat(info.get("message").asText())
                .isEqualTo("Subscribed to [\"sensors/#\"]\nat QoS 1");
        assertThat(info.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(info.get("thread").asText()).isNotBlank();
        assertThat(info.get("exception").asText()).isEmpty();

        JsonNode warn = lines.get(1);
        assertThat(warn.get("level").asText()).isEqualTo("WARN");
        assertThat(warn.get("exception").asText().strip())
                .startsWith("java.lang.IllegalStateException: broker gone");
    }

    @Test
    void theDefaultIsText() throws Exception {
        String text = capture("text");
        assertThat(text).contains(" INFO  Bridge - Subscribed to").doesNotStartWith("{");
    }

    private static List<JsonNode> logWithFormat(String format) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : capture(format).split("\n")) {
            lines.add(json.readTree(line));
        }
        return lines;
    }

    /** Logs two events through a fresh context of the bridge's configuration; returns stderr. */
    private static String capture(String format) throws Exception {
        URI config = JsonLogFormatTest.class.getResource("/log4j2.properties").toURI();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setProperty("vigil.log.format", format);
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        LoggerContext context = new LoggerContext("log-format-" + format, null, config);
        try {
            context.start();
            Logger bridge = context.getLogger("dev.vigil.bridge.Bridge");
            bridge.info("Subscribed to {}\nat QoS {}", "[\"sensors/#\"]", 1);
            bridge.warn("Kafka is down", new IllegalStateException("broker gone"));
        } finally {
            context.stop();
            System.setErr(saved);
            System.clearProperty("vigil.log.format");
        }
        return err.toString(StandardCharsets.UTF_8);
    }
}
