package dev.vigil.connectors.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vigil.connectors.influxdb.testutils.InfluxDbExtension;
import dev.vigil.connectors.influxdb.testutils.SensorReading;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The sink in Flink jobs on a MiniCluster against a real influxd 1.x. */
class InfluxDbSinkITCase {

    /** 2026-01-01T00:00:00Z: point i has timestamp BASE_MS + i (one series, unique times). */
    private static final long BASE_MS = 1_767_225_600_000L;

    private static final int N = 100_000;

    /** How long InfluxDB stays down in the outage test. */
    private static final Duration OUTAGE = Duration.ofSeconds(20);

    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
                            .build());

    @RegisterExtension static final InfluxDbExtension INFLUX = InfluxDbExtension.plain();

    @Test
    void writesExactlyAllPointsOfAJob() throws Exception {
        String db = createDatabase("all_points");
        StreamExecutionEnvironment env = environment(2);

        readings(env, N, 0).sinkTo(sink(db).build()).name("influxdb").uid("influxdb-sink");
        env.execute("all points");

        assertThat(count(db)).isEqualTo(N);
        assertThat(INFLUX.admin().queryLong(db, "SELECT sum(\"id\") FROM reading"))
                .isEqualTo((long) N * (N - 1) / 2);
    }

    @Test
    void hostileStringsRoundTrip() throws Exception {
        String db = createDatabase("hostile");
        Map<String, String> expectedTagByValue = hostileValues();
        List<String> values = new ArrayList<>(expectedTagByValue.keySet());
        StreamExecutionEnvironment env = environment(1);

        env.fromData(values)
                .sinkTo(
                        InfluxDbSink.<String>builder()
                                .setUrl(INFLUX.url())
                                .setDatabase(db)
                                .setElementConverter(new HostileConverter(values))
                                .build())
                .name("influxdb")
                .uid("influxdb-sink");
        env.execute("hostile strings");

        JsonNode rows =
                INFLUX.admin()
                        .query(db, "SELECT \"s\", \"t\", \"i\" FROM \"host ile,m=1\"")
                        .path("results")
                        .path(0)
                        .path("series")
                        .path(0)
                        .path("values");
        assertThat(rows.size()).isEqualTo(values.size());
        for (JsonNode row : rows) {
            String original = values.get(row.get(3).asInt());
            assertThat(row.get(1).asText()).as("string field").isEqualTo(original);
            assertThat(row.get(2).asText())
                    .as("tag of %s", original)
                    .isEqualTo(expectedTagByValue.get(original));
        }
        assertThat(fieldKeys(db)).containsExactlyInAnyOrder("i", "s", "k ,=\"🙂");
    }

    @Test
    void holdsDuringAnOutageAndDeliversEverythingAfterwards() throws Exception {
        String db = createDatabase("outage");
        StreamExecutionEnvironment env = environment(1);
        env.enableCheckpointing(500);
        DataGeneratorSource<SensorReading> source =
                new DataGeneratorSource<>(
                        SensorReading::of,
                        N,
                        org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy
                                .perSecond(25_000),
                        TypeInformation.of(SensorReading.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings")
                .uid("readings")
                .sinkTo(
                        sink(db).setMaxBatchSize(1000)
                                .setMaxBufferedRequests(5000)
                                .setMaxInFlightRequests(2)
                                .setRetryBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
                                .build())
                .name("influxdb")
                .uid("influxdb-sink");

        JobClient job = env.executeAsync("outage");
        waitFor(() -> count(db) >= 20_000, "20,000 points written before the outage");
        INFLUX.stop();
        long outageEnds = System.nanoTime() + OUTAGE.toNanos();
        try {
            // The fault lasts OUTAGE (the duration of the fault, not a synchronisation); meanwhile
            // the sink retries.
            waitFor(
                    () ->
                            sinkCounter(job.getJobID(), "numWriteRetries") >= 3
                                    && System.nanoTime() >= outageEnds,
                    "InfluxDB down for " + OUTAGE + " with at least 3 write retries");
            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
        } finally {
            INFLUX.start();
        }
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);

        assertThat(count(db)).isEqualTo(N);
    }

    @Test
    void missingDatabaseFailsTheJobWithAClearMessage() {
        StreamExecutionEnvironment env = environment(1);
        readings(env, 10, 0)
                .sinkTo(sink("no_such_db").build())
                .name("influxdb")
                .uid("influxdb-sink");

        assertThatThrownBy(() -> env.execute("missing database"))
                .satisfies(
                        e ->
                                assertThat(rootCause(e))
                                        .isInstanceOf(InfluxDbSinkException.class)
                                        .hasMessage(
                                                "database 'no_such_db' does not exist on "
                                                        + INFLUX.url()
                                                        + ": create it or set create-database"));
    }

    @Test
    void createDatabaseOptionCreatesDatabaseAndRetentionPolicy() throws Exception {
        String db = "created_by_sink";
        StreamExecutionEnvironment env = environment(1);
        readings(env, 1000, 0)
                .sinkTo(
                        sink(db).setCreateDatabase(true)
                                .setRetentionPolicy("ten_years")
                                .setRetentionPolicyDuration("520w")
                                .build())
                .name("influxdb")
                .uid("influxdb-sink");
        env.execute("create database");

        assertThat(
                        INFLUX.admin()
                                .queryLong(
                                        db, "SELECT count(\"value\") FROM \"ten_years\".reading"))
                .isEqualTo(1000);
        JsonNode policies = INFLUX.admin().query(db, "SHOW RETENTION POLICIES ON " + db);
        assertThat(policies.toString()).contains("[\"ten_years\",\"87360h0m0s\"");
    }

    @Test
    void badPointsAreDroppedAndTheRestIsWritten() throws Exception {
        String db = createDatabase("bad_points");
        StreamExecutionEnvironment env = environment(1);
        readings(env, 1000, 0)
                .sinkTo(
                        InfluxDbSink.<SensorReading>builder()
                                .setUrl(INFLUX.url())
                                .setDatabase(db)
                                .setElementConverter(new EveryTenthInvalidConverter())
                                .build())
                .name("influxdb")
                .uid("influxdb-sink");
        JobID jobId = env.execute("bad points").getJobID();

        assertThat(count(db)).isEqualTo(900);
        assertThat(sinkCounter(jobId, "numPointsRejected")).isEqualTo(100);
    }

    // --- helpers -------------------------------------------------------------------------------

    private static StreamExecutionEnvironment environment(int parallelism) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(parallelism);
        env.getConfig().disableGenericTypes();
        return env;
    }

    private static DataStream<SensorReading> readings(
            StreamExecutionEnvironment env, long n, long from) {
        DataGeneratorSource<SensorReading> source =
                new DataGeneratorSource<>(
                        (GeneratorFunction<Long, SensorReading>) i -> SensorReading.of(from + i),
                        n,
                        TypeInformation.of(SensorReading.class));
        return env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings").uid("readings");
    }

    private static InfluxDbSinkBuilder<SensorReading> sink(String db) {
        return InfluxDbSink.<SensorReading>builder()
                .setUrl(INFLUX.url())
                .setDatabase(db)
                .setElementConverter(new ReadingConverter());
    }

    private static String createDatabase(String name) {
        INFLUX.admin().createDatabase(name);
        return name;
    }

    private static long count(String db) {
        return INFLUX.admin().queryLong(db, "SELECT count(\"value\") FROM reading");
    }

    private static List<String> fieldKeys(String db) {
        List<String> keys = new ArrayList<>();
        JsonNode values =
                INFLUX.admin()
                        .query(db, "SHOW FIELD KEYS FROM \"host ile,m=1\"")
                        .path("results")
                        .path(0)
                        .path("series")
                        .path(0)
                        .path("values");
        values.forEach(row -> keys.add(row.get(0).asText()));
        return keys;
    }

    private static void waitFor(java.util.function.Supplier<Boolean> condition, String what)
            throws Exception {
        CommonTestUtils.waitUtil(
                condition,
                Duration.ofSeconds(60),
                Duration.ofMillis(50),
                "timed out waiting for: " + what);
    }

    /** Sum of a sink counter over all subtasks (the reporter retains metrics of ended jobs). */
    private static long sinkCounter(JobID jobId, String name) {
        return METRICS.findMetrics(jobId, name).entrySet().stream()
                .filter(e -> e.getKey().endsWith("." + name) && e.getValue() instanceof Counter)
                .mapToLong(e -> ((Counter) e.getValue()).getCount())
                .sum();
    }

    private static Throwable rootCause(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current;
    }

    /** Hostile value → the tag value InfluxDB stores for it (see LineProtocol's rules). */
    private static Map<String, String> hostileValues() {
        Map<String, String> values = new LinkedHashMap<>();
        for (String same :
                List.of(
                        "plain",
                        "with space",
                        " leading and trailing ",
                        "comma,separated",
                        "equals=sign",
                        "quote\"inside\"",
                        "back\\slash",
                        "mixed ,=\"\\x all",
                        "unicode é ü ß 日本",
                        "emoji 🙂🚀",
                        "#not a comment",
                        "tab\there",
                        "field=\"x\",y=1 123")) {
            values.put(same, same);
        }
        values.put("trailing backslash\\", "trailing backslash_");
        values.put("backslash\\ before space", "backslash_ before space");
        values.put("double \\\\ backslash", "double \\_ backslash");
        values.put("line\nbreak", "line\\nbreak");
        values.put("carriage\r\nreturn", "carriage\\r\\nreturn");
        return values;
    }

    /** Reading → {@code reading,device=.. id=..i,value=.. <BASE_MS + id>}. */
    static final class ReadingConverter extends LineProtocolElementConverter<SensorReading> {
        @Override
        protected void encode(SensorReading r, LineProtocol lp) {
            lp.measurement("reading")
                    .tag("device", r.getDevice())
                    .field("id", r.getId())
                    .field("value", r.getValue())
                    .timestampMs(BASE_MS + r.getId());
        }
    }

    /** Every tenth reading uses the reserved field name {@code time}: InfluxDB rejects it. */
    static final class EveryTenthInvalidConverter
            extends LineProtocolElementConverter<SensorReading> {
        @Override
        protected void encode(SensorReading r, LineProtocol lp) {
            lp.measurement("reading")
                    .tag("device", r.getDevice())
                    .field(r.getId() % 10 == 0 ? "time" : "value", r.getValue())
                    .timestampMs(BASE_MS + r.getId());
        }
    }

    /** Value i → tag t and string field s both = value, field i = index. */
    static final class HostileConverter extends LineProtocolElementConverter<String> {
        private final List<String> values;

        HostileConverter(List<String> values) {
            this.values = new ArrayList<>(values);
        }

        @Override
        protected void encode(String value, LineProtocol lp) {
            int index = values.indexOf(value);
            lp.measurement("host ile,m=1")
                    .tag("t", value)
                    .field("s", value)
                    .field("i", (long) index)
                    .field("k ,=\"🙂", 1L)
                    .timestampMs(BASE_MS + index);
        }
    }
}
