package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.connectors.influxdb.InfluxDbSink;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.sink.InfluxSinks;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.connector.sink2.Sink;
import org.junit.jupiter.api.Test;

/**
 * The anomalies sink flushes on its own, shorter interval: anomalies are rare, their batch never
 * fills, so the interval is their publish-to-InfluxDB latency ({@code ./vigil bench e2e}).
 */
class InfluxSinkFlushIntervalTest {

    @Test
    void anomaliesAreFlushedEvery100MsAndTheRestEverySecondByDefault() {
        TelemetryWorkflow.Sinks sinks = InfluxSinks.create(VigilConfig.load(null, Map.of()));
        assertThat(flushInterval(sinks.anomalies)).isEqualTo(Duration.ofMillis(100));
        assertThat(flushInterval(sinks.raw)).isEqualTo(Duration.ofSeconds(1));
        assertThat(flushInterval(sinks.scored)).isEqualTo(Duration.ofSeconds(1));
        assertThat(flushInterval(sinks.rejects)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void bothIntervalsAreOptions() {
        TelemetryWorkflow.Sinks sinks =
                InfluxSinks.create(
                        VigilConfig.load(
                                null,
                                Map.of(
                                        "sink.influxdb.flush-interval", "5 s",
                                        "sink.influxdb.anomalies.flush-interval", "20 ms")));
        assertThat(flushInterval(sinks.anomalies)).isEqualTo(Duration.ofMillis(20));
        assertThat(flushInterval(sinks.raw)).isEqualTo(Duration.ofSeconds(5));
        assertThat(flushInterval(sinks.rejects)).isEqualTo(Duration.ofSeconds(5));
    }

    private static Duration flushInterval(Sink<?> sink) {
        assertThat(sink).isInstanceOf(InfluxDbSink.class);
        return ((InfluxDbSink<?>) sink).flushInterval();
    }
}
