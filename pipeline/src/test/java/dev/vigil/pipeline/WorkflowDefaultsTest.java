package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.model.EnvelopeTypeInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;

/**
 * What building the workflow sets in the environment's configuration, and that a setting of the
 * user's wins (the job's configuration overrides the cluster's, so a default set here must not hide
 * the one in a Flink configuration file or {@code -D}).
 */
class WorkflowDefaultsTest {

    @Test
    void rocksDbWriteBuffersAreSizedForTheJobsManyColumnFamilies() {
        StreamExecutionEnvironment env = buildWorkflow(new Configuration());
        assertThat(env.getConfiguration().get(TelemetryWorkflow.ROCKSDB_WRITE_BUFFER_OPTION))
                .isEqualTo(MemorySize.ofMebiBytes(8))
                .isEqualTo(TelemetryWorkflow.ROCKSDB_WRITE_BUFFER);
        assertThat(env.getConfiguration().toMap())
                .containsEntry("state.backend.rocksdb.writebuffer.size", "8 mb");
    }

    @Test
    void aConfiguredWriteBufferWins() {
        StreamExecutionEnvironment env =
                buildWorkflow(
                        new Configuration()
                                .set(
                                        TelemetryWorkflow.ROCKSDB_WRITE_BUFFER_OPTION,
                                        MemorySize.ofMebiBytes(64)));
        assertThat(env.getConfiguration().get(TelemetryWorkflow.ROCKSDB_WRITE_BUFFER_OPTION))
                .isEqualTo(MemorySize.ofMebiBytes(64));
    }

    @Test
    void objectReuseIsOnUnlessConfigured() {
        assertThat(buildWorkflow(new Configuration()).getConfig().isObjectReuseEnabled()).isTrue();
    }

    private static StreamExecutionEnvironment buildWorkflow(Configuration configuration) {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(configuration);
        Envelope envelope =
                new Envelope(
                        "sensors/dev-1/temperature",
                        "21.5".getBytes(StandardCharsets.UTF_8),
                        1_700_000_000_000L);
        new TelemetryWorkflow(VigilConfig.defaults())
                .build(env.fromData(List.of(envelope), EnvelopeTypeInfo.INSTANCE));
        return env;
    }
}
