package dev.vigil.pipeline.config;

import static org.apache.flink.configuration.ConfigOptions.key;

import java.time.Duration;
import java.util.List;
import org.apache.flink.configuration.ConfigOption;

/**
 * Every setting of the vigil job, with its default, in one place. Values come from a YAML file
 * ({@code --config FILE}) and {@code --key value} command-line overrides; see {@link VigilConfig}.
 */
public final class VigilOptions {

    private VigilOptions() {}

    // ---------------------------------------------------------------- parsing

    public static final ConfigOption<String> ROUTING_FILE =
            key("routing.file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "YAML file that maps MQTT topic patterns to payload formats; the built-in routing"
                                    + " (sensors/#, telegraf/#, collectd/#) is used when unset.");

    public static final ConfigOption<Integer> MAX_PAYLOAD_BYTES =
            key("parser.max-payload-bytes")
                    .intType()
                    .defaultValue(64 * 1024)
                    .withDescription("Larger payloads are rejected (PAYLOAD_TOO_LARGE).");

    public static final ConfigOption<Integer> MAX_FIELDS =
            key("parser.max-fields")
                    .intType()
                    .defaultValue(1000)
                    .withDescription("Messages with more values are rejected (TOO_MANY_FIELDS).");

    // ---------------------------------------------------------------- statistics and scoring

    public static final ConfigOption<Double> HALF_LIFE_POINTS =
            key("detector.half-life-points")
                    .doubleType()
                    .defaultValue(200.0)
                    .withDescription(
                            "Half-life of the exponentially weighted mean and variance, in points of the series.");

    public static final ConfigOption<Integer> WARMUP_POINTS =
            key("detector.warmup-points")
                    .intType()
                    .defaultValue(30)
                    .withDescription(
                            "No anomaly is flagged for a series before it has this many points.");

    public static final ConfigOption<Double> BAND_K =
            key("detector.band-k")
                    .doubleType()
                    .defaultValue(3.0)
                    .withDescription(
                            "Expected band = mean ∓ k·σ; points outside it count as deviating.");

    public static final ConfigOption<Double> EPSILON =
            key("detector.epsilon")
                    .doubleType()
                    .defaultValue(1e-6)
                    .withDescription(
                            "A point whose two-sided Gaussian tail probability is below epsilon is a SPIKE"
                                    + " (1e-6 ≈ 4.9σ: on the demo fleet, 1e-4 flags about 6 false spikes per"
                                    + " 57,000 clean points, 1e-6 none).");

    public static final ConfigOption<Double> CLAMP_K =
            key("detector.clamp-k")
                    .doubleType()
                    .defaultValue(3.0)
                    .withDescription(
                            "Updates of the baseline are clamped to mean ∓ clamp-k·σ, so an anomalous point does"
                                    + " not drag the baseline with it.");

    public static final ConfigOption<Integer> SERIES_CACHE =
            key("state.series-cache")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription(
                            "With a state backend that serializes on every access (RocksDB): the"
                                    + " scoring state of up to this many series per subtask is kept"
                                    + " on the heap in front of it and written back before every"
                                    + " checkpoint (and when the cache is full), instead of a read and"
                                    + " a write of the backend per point. About 1 KB of heap per"
                                    + " series (2.5 KB with a weekly profile). 0 turns it off; the"
                                    + " heap backend never uses it.");

    public static final ConfigOption<Duration> SERIES_TTL =
            key("state.series-ttl")
                    .durationType()
                    .defaultValue(Duration.ofDays(7))
                    .withDescription(
                            "State of a series that reported nothing for this long is cleared (the"
                                    + " scoring state: in event time after the series' last point,"
                                    + " so a replay forgets what the live run forgot; the fleet"
                                    + " states: in processing time).");

    // ---------------------------------------------------------------- anomaly score (see
    // pipeline/DETECTION.md)

    public static final ConfigOption<Double> ROBUST_HALF_LIFE_POINTS =
            key("detector.robust.half-life-points")
                    .doubleType()
                    .defaultValue(400.0)
                    .withDescription(
                            "Half-life of the robust baseline (Huber-ψ stochastic approximation of the median and"
                                    + " its mean absolute deviation), of the rate-of-change scale and of the"
                                    + " model-selection errors, in points.");

    public static final ConfigOption<Double> SEASONAL_HALF_LIFE_DAYS =
            key("detector.seasonal.half-life-days")
                    .doubleType()
                    .defaultValue(3.0)
                    .withDescription(
                            "Half-life of the hour-of-day profile (24 robust means and deviations per series), in"
                                    + " days of history.");

    public static final ConfigOption<Duration> SEASONAL_MIN_HISTORY =
            key("detector.seasonal.min-history")
                    .durationType()
                    .defaultValue(Duration.ofDays(2))
                    .withDescription(
                            "The hour-of-day profile is used only after this much event-time history.");

    public static final ConfigOption<Double> WEEKLY_HALF_LIFE_WEEKS =
            key("detector.weekly.half-life-weeks")
                    .doubleType()
                    .defaultValue(1.0)
                    .withDescription(
                            "Half-life of the hour-of-week profile (168 robust means and deviations per series,"
                                    + " allocated after a week of history), in weeks of history.");

    public static final ConfigOption<Duration> WEEKLY_MIN_HISTORY =
            key("detector.weekly.min-history")
                    .durationType()
                    .defaultValue(Duration.ofDays(14))
                    .withDescription(
                            "The hour-of-week profile is used only after this much event-time history (at"
                                    + " least two weeks: it starts after one, from the hour-of-day profile), and"
                                    + " only while it predicts better than the hour-of-day profile or the robust"
                                    + " baseline.");

    public static final ConfigOption<Double> CUSUM_DRIFT =
            key("detector.cusum.drift")
                    .doubleType()
                    .defaultValue(0.5)
                    .withDescription(
                            "CUSUM allowance k on standardized residuals (half the smallest shift, in σ, worth"
                                    + " detecting); the alarm tail probability is exp(−2k·S).");

    public static final ConfigOption<Double> CUSUM_RESET_LOG10P =
            key("detector.cusum.reset-log10p")
                    .doubleType()
                    .defaultValue(5.0)
                    .withDescription(
                            "When the CUSUM's −log₁₀ p exceeds this, the change is accepted: the baseline moves to"
                                    + " the recent level and the CUSUM restarts.");

    public static final ConfigOption<Double> SUPPRESS_HALF_LIFE_POINTS =
            key("detector.suppress.half-life-points")
                    .doubleType()
                    .defaultValue(100.0)
                    .withDescription(
                            "After a surprising point the anomaly score stays 0 until the surprise exceeds the"
                                    + " last peak, which decays with this half-life (in points): one detection per"
                                    + " excursion.");

    public static final ConfigOption<Double> SCORE_HALF_LOG10P =
            key("detector.score.half-log10p")
                    .doubleType()
                    .defaultValue(10.0)
                    .withDescription(
                            "anomaly_score = L / (L + this), L = −log₁₀ of the combined tail probability: never"
                                    + " saturates, 0.5 at p = 10^−this.");

    // ---------------------------------------------------------------- patterns

    public static final ConfigOption<Integer> SUSTAINED_POINTS =
            key("pattern.sustained.points")
                    .intType()
                    .defaultValue(4)
                    .withDescription("SUSTAINED_DEVIATION: at least N points beyond k·σ ...");

    public static final ConfigOption<Integer> SUSTAINED_WINDOW_POINTS =
            key("pattern.sustained.window-points")
                    .intType()
                    .defaultValue(6)
                    .withDescription("... among M consecutive points ...");

    public static final ConfigOption<Duration> SUSTAINED_WITHIN =
            key("pattern.sustained.within")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription("... within this time.");

    public static final ConfigOption<Integer> FLATLINE_POINTS =
            key("pattern.flatline.points")
                    .intType()
                    .defaultValue(10)
                    .withDescription(
                            "FLATLINE: the value repeats unchanged for this many points (or the duration below)"
                                    + " in a series that normally varies.");

    public static final ConfigOption<Duration> FLATLINE_DURATION =
            key("pattern.flatline.duration")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(30))
                    .withDescription("FLATLINE: ... or for this long, whichever comes first.");

    public static final ConfigOption<Integer> LEVEL_SHIFT_POINTS =
            key("pattern.level-shift.points")
                    .intType()
                    .defaultValue(8)
                    .withDescription(
                            "LEVEL_SHIFT: this many consecutive points all beyond k·σ on the same side and close to"
                                    + " each other.");

    public static final ConfigOption<Duration> SILENCE_MIN_GAP =
            key("pattern.silence.min-gap")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(5))
                    .withDescription(
                            "SILENCE: a series is silent after max(min-gap, multiplier × interval).");

    public static final ConfigOption<Double> SILENCE_INTERVAL_MULTIPLIER =
            key("pattern.silence.interval-multiplier")
                    .doubleType()
                    .defaultValue(5.0)
                    .withDescription(
                            "SILENCE: multiplier of the series' typical inter-arrival interval.");

    // ---------------------------------------------------------------- fleet (see
    // pipeline/DETECTION.md)

    public static final ConfigOption<Duration> FLEET_SLICE =
            key("fleet.slice")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "Event-time slice of both fleet detectors: a device's metrics are combined, and a"
                                    + " metric's devices compared, once per slice.");

    public static final ConfigOption<Double> DEVICE_EPSILON =
            key("fleet.device.epsilon")
                    .doubleType()
                    .defaultValue(1e-6)
                    .withDescription(
                            "DEVICE: flagged when the Fisher-combined tail probability of all its metrics in a"
                                    + " slice is below this (the clean demo fleet's smallest is ≈ 4e-4 in 8 h).");

    public static final ConfigOption<Integer> DEVICE_MIN_METRICS =
            key("fleet.device.min-metrics")
                    .intType()
                    .defaultValue(2)
                    .withDescription(
                            "DEVICE: ... and at least this many of its metrics are outside their band (one"
                                    + " metric alone is a SPIKE or pattern of that series).");

    public static final ConfigOption<Boolean> POPULATION_ENABLED =
            key("fleet.population.enabled")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription(
                            "POPULATION: compare each device's latest value of a metric with the rest of the"
                                    + " fleet (median and MAD per slice).");

    public static final ConfigOption<List<String>> POPULATION_MEMBER_TAGS =
            key("fleet.population.member-tags")
                    .stringType()
                    .asList()
                    .defaultValues("device", "host", "id", "city")
                    .withDescription(
                            "POPULATION: tags that say which device (or where) a series is, not which metric; a"
                                    + " population is measurement + the other tags + field, e.g."
                                    + " collectd,plugin=cpu,type=percent,type_instance=user value.");

    public static final ConfigOption<Double> POPULATION_K =
            key("fleet.population.k")
                    .doubleType()
                    .defaultValue(5.0)
                    .withDescription(
                            "POPULATION: an outlier is more than k·s from the fleet median of the devices' latest"
                                    + " values, s = sqrt((1.4826·MAD)² + the device's own σ²) (chosen on the demo"
                                    + " fleet with 16 servers: clean devices reach 3.6, injections ≥ 6.3) ...");

    public static final ConfigOption<Integer> POPULATION_STABLE_SLICES =
            key("fleet.population.stable-slices")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "POPULATION: ... and was within k/2·s of it for this many consecutive slices before"
                                    + " (the deviation must be new: devices that always differ, e.g. a hotter"
                                    + " city, are never flagged).");

    public static final ConfigOption<Integer> POPULATION_MIN_MEMBERS =
            key("fleet.population.min-members")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "POPULATION: slices with fewer reporting devices of a metric are not evaluated.");

    // ---------------------------------------------------------------- time

    public static final ConfigOption<Duration> OUT_OF_ORDERNESS =
            key("watermark.out-of-orderness")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Points may arrive this much out of order; later ones are late.");

    public static final ConfigOption<Duration> IDLE_TIMEOUT =
            key("watermark.idle-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "When a source split sees no data for this long (wall clock), its watermark advances"
                                    + " with the wall clock, so silence is detected even when everything is quiet.");

    // ---------------------------------------------------------------- sources and sinks

    public static final ConfigOption<String> SOURCE_TYPE =
            key("source.type")
                    .stringType()
                    .defaultValue("simulator")
                    .withDescription(
                            "Where envelopes come from: 'kafka' or 'kinesis' (what the MQTT bridge writes; see"
                                    + " source.kafka.* and source.kinesis.*),"
                                    + " 'simulator' (the built-in fleet, no external service) or 'file' (envelope"
                                    + " JSON lines, see source.file).");

    public static final ConfigOption<String> SOURCE_FILE =
            key("source.file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Envelope JSON-lines file for source.type=file.");

    public static final ConfigOption<String> SIMULATOR_CONFIG =
            key("source.simulator.config")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Simulator YAML for source.type=simulator (default fleet when unset).");

    public static final ConfigOption<String> SINK_TYPE =
            key("sink.type")
                    .stringType()
                    .defaultValue("stdout")
                    .withDescription(
                            "Where results go: 'influxdb' (raw points, stats, anomalies and rejects; see"
                                    + " sink.influxdb.*), 'stdout' (anomalies and rejects printed to the task"
                                    + " managers' stdout) or 'discard'.");

    public static final ConfigOption<String> INFLUX_URL =
            key("sink.influxdb.url")
                    .stringType()
                    .defaultValue("http://127.0.0.1:8086")
                    .withDescription(
                            "InfluxDB 1.x HTTP API. Credentials: environment INFLUX_USERNAME and INFLUX_PASSWORD"
                                    + " (or sink.influxdb.password-file).");

    public static final ConfigOption<String> INFLUX_DATABASE =
            key("sink.influxdb.database")
                    .stringType()
                    .defaultValue("vigil")
                    .withDescription("InfluxDB database of all outputs.");

    public static final ConfigOption<Boolean> INFLUX_CREATE_DATABASE =
            key("sink.influxdb.create-database")
                    .booleanType()
                    .defaultValue(true)
                    .withDescription("Create the database (and retention policy) on start.");

    public static final ConfigOption<String> INFLUX_RETENTION =
            key("sink.influxdb.retention")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Retention of the data, e.g. 30d (creates retention policy 'vigil' as default);"
                                    + " keep forever when unset.");

    public static final ConfigOption<Duration> INFLUX_DOWNSAMPLE_INTERVAL =
            key("sink.influxdb.downsample-interval")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "When set (e.g. 5 min), a continuous query keeps the mean of every numeric field per"
                                    + " interval in retention policy 'vigil_downsampled' (same measurement names),"
                                    + " for long-range dashboards.");

    public static final ConfigOption<String> INFLUX_DOWNSAMPLE_RETENTION =
            key("sink.influxdb.downsample-retention")
                    .stringType()
                    .defaultValue("520w")
                    .withDescription("Retention of the downsampled data.");

    public static final ConfigOption<Duration> INFLUX_FLUSH_INTERVAL =
            key("sink.influxdb.flush-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Longest time a raw point, band or reject waits in its sink's batch before it is"
                                    + " written (a batch is also written when it is full: 5,000 lines).");

    public static final ConfigOption<Duration> INFLUX_ANOMALIES_FLUSH_INTERVAL =
            key("sink.influxdb.anomalies.flush-interval")
                    .durationType()
                    .defaultValue(Duration.ofMillis(100))
                    .withDescription(
                            "Longest time an anomaly waits in its sink's batch. Anomalies are rare, so their"
                                    + " batch never fills and this interval is most of the publish-to-InfluxDB"
                                    + " latency of an alert (./vigil bench e2e).");

    public static final ConfigOption<String> INFLUX_PASSWORD_FILE =
            key("sink.influxdb.password-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the InfluxDB password (instead of INFLUX_PASSWORD).");

    // ---------------------------------------------------------------- Kafka source

    public static final ConfigOption<String> KAFKA_BOOTSTRAP_SERVERS =
            key("source.kafka.bootstrap-servers")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Kafka brokers (host:port[,host:port]) the job reads envelopes from; required"
                                    + " for the Kafka source.");

    public static final ConfigOption<String> KAFKA_TOPIC =
            key("source.kafka.topic")
                    .stringType()
                    .defaultValue("vigil.envelopes")
                    .withDescription("Topic the MQTT bridge writes envelopes to.");

    public static final ConfigOption<String> KAFKA_GROUP_ID =
            key("source.kafka.group-id")
                    .stringType()
                    .defaultValue("vigil")
                    .withDescription(
                            "Consumer group; offsets are committed to it on checkpoints (for monitoring"
                                    + " and for start-from: committed).");

    public static final ConfigOption<String> KAFKA_START_FROM =
            key("source.kafka.start-from")
                    .stringType()
                    .defaultValue("committed")
                    .withDescription(
                            "Where a job without checkpoint starts: earliest, latest, committed (the group's"
                                    + " offsets, earliest where there are none) or timestamp (see"
                                    + " start-timestamp). A restored job always continues from its checkpoint.");

    public static final ConfigOption<Long> KAFKA_START_TIMESTAMP =
            key("source.kafka.start-timestamp")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Epoch milliseconds for start-from: timestamp (records of Kafka log time ≥ it).");

    public static final ConfigOption<Duration> KAFKA_PARTITION_DISCOVERY =
            key("source.kafka.partition-discovery-interval")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(1))
                    .withDescription(
                            "How often new partitions of the topic are picked up; 0 turns discovery off.");

    // ---------------------------------------------------------------- source: kinesis

    public static final ConfigOption<String> KINESIS_STREAM_ARN =
            key("source.kinesis.stream-arn")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "ARN of the Kinesis stream the MQTT bridge writes envelopes to"
                                    + " (arn:aws:kinesis:REGION:ACCOUNT:stream/NAME); required for the Kinesis"
                                    + " source. Needs the Kinesis connector in the job jar (build with"
                                    + " -Pkinesis) or in Flink's lib/.");

    public static final ConfigOption<String> KINESIS_REGION =
            key("source.kinesis.region")
                    .stringType()
                    .defaultValue("us-east-1")
                    .withDescription("AWS region of the stream.");

    public static final ConfigOption<String> KINESIS_ENDPOINT =
            key("source.kinesis.endpoint")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Endpoint override (e.g. http://127.0.0.1:14567 for the local emulator,"
                                    + " scripts/services/kinesis.sh); empty for AWS itself. Credentials come"
                                    + " from the AWS default provider chain.");

    public static final ConfigOption<String> KINESIS_START_FROM =
            key("source.kinesis.start-from")
                    .stringType()
                    .defaultValue("latest")
                    .withDescription(
                            "Where a job without checkpoint starts in each shard: trim-horizon (the oldest"
                                    + " record kept), latest, or at-timestamp (see start-timestamp). A restored"
                                    + " job always continues from its checkpoint.");

    public static final ConfigOption<Long> KINESIS_START_TIMESTAMP =
            key("source.kinesis.start-timestamp")
                    .longType()
                    .noDefaultValue()
                    .withDescription(
                            "Epoch milliseconds for start-from: at-timestamp (records that arrived at or"
                                    + " after it).");

    public static final ConfigOption<Duration> KINESIS_SHARD_DISCOVERY =
            key("source.kinesis.shard-discovery-interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "How often the source looks for new shards (after a resharding).");

    // ---------------------------------------------------------------- job

    public static final ConfigOption<Duration> CHECKPOINT_INTERVAL =
            key("checkpoint.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription("Exactly-once checkpoint interval.");

    public static final ConfigOption<Integer> PARALLELISM =
            key("job.parallelism")
                    .intType()
                    .defaultValue(2)
                    .withDescription("Default parallelism of the job.");

    // ---------------------------------------------------------------- input limits (see
    // pipeline/LIMITS.md)

    public static final ConfigOption<List<String>> ALLOWED_TOPICS =
            key("limits.allowed-topics")
                    .stringType()
                    .asList()
                    .defaultValues()
                    .withDescription(
                            "MQTT topic filters (+, #) the job accepts; others are rejected"
                                    + " (TOPIC_NOT_ALLOWED). Empty: every routed topic.");

    public static final ConfigOption<Duration> MAX_FUTURE =
            key("limits.max-future")
                    .durationType()
                    .defaultValue(Duration.ofHours(1))
                    .withDescription(
                            "Points timestamped more than this ahead of their receive time (clock-skewed"
                                    + " devices) are rejected (TIMESTAMP_OUT_OF_RANGE).");

    public static final ConfigOption<Duration> MAX_AGE =
            key("limits.max-age")
                    .durationType()
                    .defaultValue(Duration.ZERO)
                    .withDescription(
                            "Points timestamped more than this before their receive time are rejected"
                                    + " (TIMESTAMP_OUT_OF_RANGE); set it to the InfluxDB retention. 0: no limit.");

    public static final ConfigOption<Integer> MAX_SERIES_PER_DEVICE =
            key("limits.max-series-per-device")
                    .intType()
                    .defaultValue(10_000)
                    .withDescription(
                            "Series one device (the topic's second level) may send within state.series-ttl;"
                                    + " messages adding more are rejected (TOO_MANY_SERIES). 0: no limit.");
}
