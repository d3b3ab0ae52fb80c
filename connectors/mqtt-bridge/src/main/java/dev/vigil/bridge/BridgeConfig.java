package dev.vigil.bridge;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bridge's settings, read from a YAML file (kebab-case keys, unknown keys are an error). Holds
 * no secret: passwords come from files or environment variables named here and are read only when
 * connecting (see {@link Secrets}), so this object can be logged.
 *
 * <pre>
 * mqtt:
 *   url: tcp://127.0.0.1:11883          # ssl://host:8883 for TLS
 *   client-id: vigil-bridge-1           # stable: the broker keeps the session under it
 *   topics: [sensors/#, telegraf/#, collectd/#]
 *   shared-group: vigil                 # optional: $share/vigil/&lt;topic&gt; (several bridges share the load)
 *   username: vigil                     # optional; password from password-file or $VIGIL_MQTT_PASSWORD
 *   password-file: /etc/vigil/mqtt.pw
 *   tls: {ca-file: ca.pem, keystore-file: client.p12}   # keystore password: file or $VIGIL_MQTT_KEYSTORE_PASSWORD
 * kafka:
 *   bootstrap-servers: 127.0.0.1:19092
 *   topic: vigil.envelopes
 *   dead-letter-topic: vigil.envelopes.dead-letter
 * bridge: {max-in-flight: 1000}
 * metrics: {host: 127.0.0.1, port: 9464}
 * </pre>
 */
public class BridgeConfig {

    /** {@code kafka} (default) or {@code kinesis}: which of the two sections below is used. */
    public String forwardTo = "kafka";

    public Mqtt mqtt = new Mqtt();
    public Kafka kafka = new Kafka();
    public Kinesis kinesis = new Kinesis();
    public Limits bridge = new Limits();
    public Metrics metrics = new Metrics();

    /** MQTT side. */
    public static class Mqtt {
        public String url = "tcp://127.0.0.1:11883";
        public String clientId = "vigil-bridge";
        public List<String> topics =
                new ArrayList<>(List.of("sensors/#", "telegraf/#", "collectd/#"));
        public int qos = 1;
        public String sharedGroup;

        /**
         * Topic filters ({@code +}, {@code #}) whose messages are forwarded; messages on other
         * topics are counted and dead-lettered with reason {@code TOPIC_NOT_ALLOWED}. Empty: all.
         */
        public List<String> allowedTopics = new ArrayList<>();

        public String username;
        public String passwordFile;
        public int keepAliveSeconds = 30;
        public int connectTimeoutSeconds = 10;
        public Tls tls = new Tls();

        /** The filters actually subscribed: {@code $share/<group>/<topic>} with a shared group. */
        public List<String> subscriptions() {
            List<String> filters = new ArrayList<>();
            for (String topic : topics) {
                filters.add(
                        sharedGroup == null || sharedGroup.isEmpty()
                                ? topic
                                : "$share/" + sharedGroup + "/" + topic);
            }
            return filters;
        }
    }

    /** TLS of the MQTT connection (used with {@code ssl://} URLs). */
    public static class Tls {
        /** PEM file with the CA certificate(s) that signed the broker's certificate. */
        public String caFile;

        /** PKCS#12 file with the client certificate and key, for brokers that require one. */
        public String keystoreFile;

        public String keystorePasswordFile;
        public boolean verifyHostname = true;
    }

    /** Kafka side. */
    public static class Kafka {
        public String bootstrapServers = "127.0.0.1:19092";
        public String topic = "vigil.envelopes";
        public String deadLetterTopic = "vigil.envelopes.dead-letter";

        /** Larger encoded envelopes go to the dead-letter topic (keep ≤ the broker's limit). */
        public int maxRecordBytes = 1_000_000;

        /** How much of a dead-lettered payload is kept in the dead-letter record. */
        public int deadLetterPayloadBytes = 1024;

        /** Create missing topics at start (with {@link #topicPartitions} partitions). */
        public boolean createTopics = true;

        public int topicPartitions = 4;
        public int deliveryTimeoutMs = 30_000;
        public int startupTimeoutMs = 15_000;

        /** Extra producer properties (e.g. {@code compression.type}, security settings). */
        public Map<String, String> properties = new LinkedHashMap<>();
    }

    /**
     * Kinesis side ({@code forward-to: kinesis}). Credentials come from the AWS default provider
     * chain (environment, system properties, profile, instance role), never from this file.
     */
    public static class Kinesis {
        public String stream = "vigil-envelopes";
        public String deadLetterStream = "vigil-envelopes-dead-letter";
        public String region = "us-east-1";

        /** Endpoint override, e.g. {@code http://127.0.0.1:14567} for the local emulator. */
        public String endpoint;

        /** Larger encoded envelopes go to the dead-letter stream (Kinesis' limit is 1 MiB). */
        public int maxRecordBytes = 1_048_576;

        public int deadLetterPayloadBytes = 1024;

        /** How long a batch waits for more records before it is sent. */
        public int lingerMs = 10;

        /** PutRecords requests in flight at a time. */
        public int maxConcurrentRequests = 4;

        public int startupTimeoutMs = 15_000;
    }

    /** Flow control. */
    public static class Limits {
        /** Messages received from MQTT and not yet acknowledged; past it, no more are read. */
        public int maxInFlight = 1000;

        /** How long a graceful shutdown waits for in-flight messages. */
        public int shutdownTimeoutSeconds = 30;
    }

    /** The Prometheus endpoint ({@code GET /metrics}). */
    public static class Metrics {
        public String host = "127.0.0.1";

        /** 0 picks a free port, -1 turns the endpoint off. */
        public int port = 9464;

        /**
         * Also push the metrics to this InfluxDB 1.x (e.g. http://127.0.0.1:8086) for the "Pipeline
         * health" dashboard; off when unset. Credentials: environment INFLUX_USERNAME /
         * INFLUX_PASSWORD.
         */
        public String influxdbUrl;

        public String influxdbDatabase = "vigil";
        public int influxdbIntervalSeconds = 10;
    }

    private static final ObjectMapper YAML =
            new ObjectMapper(new YAMLFactory())
                    .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Reads and validates {@code file}; every problem is an {@link IllegalArgumentException}. */
    public static BridgeConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(
                    "Bridge config file " + file.toAbsolutePath() + " does not exist.");
        }
        BridgeConfig config;
        try {
            config = YAML.readValue(file.toFile(), BridgeConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(
                    "Unknown setting '"
                            + e.getPropertyName()
                            + "' in "
                            + file
                            + " (known here: "
                            + e.getKnownPropertyIds()
                            + ")."
                            + (e.getPropertyName().contains("password")
                                    ? " Passwords are never read from the config: use"
                                            + " password-file or the environment variable."
                                    : ""),
                    e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "Bridge config file " + file + " is not valid: " + e.getMessage(), e);
        }
        if (config == null) {
            config = new BridgeConfig();
        }
        config.validate();
        return config;
    }

    /** Checks every value; throws {@link IllegalArgumentException} naming the setting. */
    private static boolean validFilters(List<String> filters) {
        if (filters == null) {
            return false;
        }
        try {
            for (String filter : filters) {
                new TopicAllowList(List.of(filter));
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public BridgeConfig validate() {
        require(
                mqtt.url != null && validMqttUrl(mqtt.url),
                "mqtt.url",
                "tcp://host:port or ssl://host:port");
        require(notBlank(mqtt.clientId), "mqtt.client-id", "a non-empty, stable client id");
        require(
                mqtt.topics != null && !mqtt.topics.isEmpty(),
                "mqtt.topics",
                "at least one topic filter");
        require(validFilters(mqtt.allowedTopics), "mqtt.allowed-topics", "MQTT topic filters");
        require(mqtt.qos == 0 || mqtt.qos == 1, "mqtt.qos", "0 or 1 (1 for at-least-once)");
        require(
                mqtt.sharedGroup == null || !mqtt.sharedGroup.matches(".*[/+#].*"),
                "mqtt.shared-group",
                "a name without / + #");
        require(
                "kafka".equals(forwardTo) || "kinesis".equals(forwardTo),
                "forward-to",
                "kafka or kinesis");
        if (forwardsToKinesis()) {
            validateKinesis();
        } else {
            validateKafka();
        }
        require(bridge.maxInFlight >= 1, "bridge.max-in-flight", "at least 1");
        require(
                metrics.port >= -1 && metrics.port <= 65535,
                "metrics.port",
                "-1 (off), 0 (any) or a port");
        return this;
    }

    private void validateKafka() {
        require(
                notBlank(kafka.bootstrapServers),
                "kafka.bootstrap-servers",
                "host:port[,host:port]");
        require(notBlank(kafka.topic), "kafka.topic", "a topic name");
        require(
                notBlank(kafka.deadLetterTopic) && !kafka.deadLetterTopic.equals(kafka.topic),
                "kafka.dead-letter-topic",
                "a topic other than kafka.topic");
        require(kafka.maxRecordBytes >= 1024, "kafka.max-record-bytes", "at least 1024");
        require(
                kafka.deadLetterPayloadBytes >= 0
                        && kafka.deadLetterPayloadBytes < kafka.maxRecordBytes / 2,
                "kafka.dead-letter-payload-bytes",
                "0 to half of kafka.max-record-bytes");
        require(kafka.topicPartitions >= 1, "kafka.topic-partitions", "at least 1");
        require(kafka.deliveryTimeoutMs >= 1000, "kafka.delivery-timeout-ms", "at least 1000");
    }

    public boolean forwardsToKinesis() {
        return "kinesis".equals(forwardTo);
    }

    private void validateKinesis() {
        require(notBlank(kinesis.stream), "kinesis.stream", "a stream name");
        require(
                notBlank(kinesis.deadLetterStream)
                        && !kinesis.deadLetterStream.equals(kinesis.stream),
                "kinesis.dead-letter-stream",
                "a stream other than kinesis.stream");
        require(notBlank(kinesis.region), "kinesis.region", "an AWS region, e.g. us-east-1");
        require(
                kinesis.endpoint == null || kinesis.endpoint.matches("https?://.+"),
                "kinesis.endpoint",
                "http(s)://host:port, or no value for AWS itself");
        require(
                kinesis.maxRecordBytes >= 1024 && kinesis.maxRecordBytes <= 1_048_576,
                "kinesis.max-record-bytes",
                "1024 to 1048576 (Kinesis' record limit)");
        require(
                kinesis.deadLetterPayloadBytes >= 0
                        && kinesis.deadLetterPayloadBytes < kinesis.maxRecordBytes / 2,
                "kinesis.dead-letter-payload-bytes",
                "0 to half of kinesis.max-record-bytes");
        require(kinesis.lingerMs >= 0, "kinesis.linger-ms", "0 or more");
        require(
                kinesis.maxConcurrentRequests >= 1,
                "kinesis.max-concurrent-requests",
                "at least 1");
    }

    private static boolean validMqttUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    private static void require(boolean ok, String key, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(
                    "Setting " + key + " is invalid: expected " + expected + ".");
        }
    }

    @Override
    public String toString() {
        return "mqtt "
                + mqtt.url
                + " as "
                + mqtt.clientId
                + " "
                + mqtt.subscriptions()
                + " (qos "
                + mqtt.qos
                + ") → "
                + (forwardsToKinesis()
                        ? "kinesis "
                                + (kinesis.endpoint == null ? kinesis.region : kinesis.endpoint)
                                + " stream "
                                + kinesis.stream
                                + " (dead letters: "
                                + kinesis.deadLetterStream
                                + ")"
                        : "kafka "
                                + kafka.bootstrapServers
                                + " topic "
                                + kafka.topic
                                + " (dead letters: "
                                + kafka.deadLetterTopic
                                + ")")
                + ", max in flight "
                + bridge.maxInFlight;
    }
}
