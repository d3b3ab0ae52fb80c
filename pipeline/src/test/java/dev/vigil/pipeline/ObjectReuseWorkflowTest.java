package dev.vigil.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.testutils.Scenario;
import dev.vigil.pipeline.testutils.WorkflowRun;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The workflow builds with object reuse on (one instance for all chained consumers of a record):
 * the whole job over {@link TelemetryWorkflowTest}'s scenario gives exactly the same outputs with
 * it as without it. The CEP operators keep the scored points they are given in heap state, so a
 * record changed after it was emitted would change their matches (see {@code bench/PROFILE.md},
 * round 6).
 */
class ObjectReuseWorkflowTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static WorkflowRun reused;
    private static WorkflowRun copied;
    private static boolean reusedReusesObjects;
    private static boolean copiedReusesObjects;

    @BeforeAll
    static void runWithAndWithoutObjectReuse() throws Exception {
        Scenario scenario = TelemetryWorkflowTest.scenario();
        StreamExecutionEnvironment reusing = WorkflowRun.environment();
        reused = WorkflowRun.of(scenario, reusing, VigilConfig.defaults());
        reusedReusesObjects = reusing.getConfig().isObjectReuseEnabled();
        StreamExecutionEnvironment copying = WorkflowRun.environment();
        copying.configure(new Configuration().set(PipelineOptions.OBJECT_REUSE, false));
        copied = WorkflowRun.of(scenario, copying, VigilConfig.defaults());
        copiedReusesObjects = copying.getConfig().isObjectReuseEnabled();
    }

    @Test
    void theWorkflowReusesObjectsUnlessTheConfigurationSaysOtherwise() {
        assertThat(reusedReusesObjects).isTrue();
        assertThat(copiedReusesObjects).isFalse();
    }

    @Test
    void sameAnomaliesOfEveryKind() {
        WorkflowRun.assertSameAnomaliesOfEveryKind(reused, copied);
    }

    @Test
    void sameScoredPoints() {
        assertThat(copied.out.scored).hasSize((int) copied.counts.points - 1);
        assertThat(reused.out.scored)
                .hasSize(copied.out.scored.size())
                .containsExactlyInAnyOrderElementsOf(copied.out.scored);
    }

    @Test
    void sameRejectsAndLatePoints() {
        assertThat(copied.out.rejects).hasSize(4);
        assertThat(reused.out.rejects).containsExactlyInAnyOrderElementsOf(copied.out.rejects);
        assertThat(copied.out.late).hasSize(1);
        assertThat(reused.out.late).containsExactlyElementsOf(copied.out.late);
    }

    @Test
    void sameCounts() {
        assertThat(reused.counts.received).isEqualTo(copied.counts.received);
        assertThat(reused.counts.accepted).isEqualTo(copied.counts.accepted);
        assertThat(reused.counts.rejected).isEqualTo(copied.counts.rejected).isEqualTo(4);
        assertThat(reused.counts.points).isEqualTo(copied.counts.points);
    }
}
