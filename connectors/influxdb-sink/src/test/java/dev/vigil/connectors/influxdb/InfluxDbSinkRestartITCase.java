package dev.vigil.connectors.influxdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.connectors.influxdb.testutils.InfluxDbExtension;
import dev.vigil.connectors.influxdb.testutils.SensorReading;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A job that fails mid-run restarts from its last checkpoint: the sink's buffered lines were part
 * of that checkpoint and the source rewinds to it, so InfluxDB ends with exactly the N points —
 * none lost, none extra (a re-written point overwrites itself: same series, same timestamp).
 */
class InfluxDbSinkRestartITCase {

    private static final int N = 100_000;

    /** How often the failing map has thrown (MiniCluster runs in this JVM). */
    private static final AtomicInteger FAILURES = new AtomicInteger();

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @RegisterExtension static final InfluxDbExtension INFLUX = InfluxDbExtension.plain();

    @Test
    void restartFromCheckpointLosesNothingAndAddsNothing() throws Exception {
        String db = "restart";
        INFLUX.admin().createDatabase(db);
        Configuration conf = new Configuration();
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        env.getConfig().disableGenericTypes();
        env.enableCheckpointing(200);

        DataGeneratorSource<SensorReading> source =
                new DataGeneratorSource<>(
                        SensorReading::of,
                        N,
                        RateLimiterStrategy.perSecond(40_000),
                        TypeInformation.of(SensorReading.class));
        env.fromSource(source, WatermarkStrategy.noWatermarks(), "readings")
                .uid("readings")
                .map(new FailOnceAfterCheckpoint(N / 2))
                .uid("fail-once")
                .sinkTo(
                        InfluxDbSink.<SensorReading>builder()
                                .setUrl(INFLUX.url())
                                .setDatabase(db)
                                .setElementConverter(new InfluxDbSinkITCase.ReadingConverter())
                                .setMaxBatchSize(2000)
                                .build())
                .name("influxdb")
                .uid("influxdb-sink");
        env.execute("restart from checkpoint");

        assertThat(FAILURES.get()).as("the job failed once and restarted").isEqualTo(1);
        assertThat(INFLUX.admin().queryLong(db, "SELECT count(\"value\") FROM reading"))
                .isEqualTo(N);
        assertThat(INFLUX.admin().queryLong(db, "SELECT sum(\"id\") FROM reading"))
                .isEqualTo((long) N * (N - 1) / 2);
    }

    /**
     * Throws once, on the first reading at or past {@code failAt} after a checkpoint has completed.
     */
    static final class FailOnceAfterCheckpoint
            implements MapFunction<SensorReading, SensorReading>, CheckpointListener {
        private final long failAt;
        private boolean checkpointed;

        FailOnceAfterCheckpoint(long failAt) {
            this.failAt = failAt;
        }

        @Override
        public SensorReading map(SensorReading r) {
            if (checkpointed && r.getId() >= failAt && FAILURES.get() == 0) {
                FAILURES.incrementAndGet();
                throw new IllegalStateException("injected failure at reading " + r.getId());
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            checkpointed = true;
        }
    }
}
