package dev.vigil.pipeline.testutils;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.local.CollectingListener;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.AnomalyKind;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One run of the whole job over a {@link Scenario} on the test's MiniCluster (what {@link LocalRun}
 * counted and what it collected), for tests that compare two runs of the same scenario under
 * different settings.
 */
public final class WorkflowRun {

    public final LocalRun.Counts counts;
    public final CollectingListener out;

    private WorkflowRun(LocalRun.Counts counts, CollectingListener out) {
        this.counts = counts;
        this.out = out;
    }

    /** An environment of parallelism 2 (both keyed shuffles cross subtasks). */
    public static StreamExecutionEnvironment environment() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        return env;
    }

    public static WorkflowRun of(
            Scenario scenario, StreamExecutionEnvironment env, VigilConfig config)
            throws Exception {
        CollectingListener out = new CollectingListener();
        LocalRun.Counts counts = LocalRun.run(env, config, scenario.envelopes(), true, out);
        return new WorkflowRun(counts, out);
    }

    /**
     * {@code expected} has an anomaly of every per-series and device kind, and {@code actual} has
     * exactly its anomalies.
     */
    public static void assertSameAnomaliesOfEveryKind(WorkflowRun actual, WorkflowRun expected) {
        assertThat(expected.out.anomalies)
                .extracting(Anomaly::getKind)
                .contains(
                        AnomalyKind.SPIKE,
                        AnomalyKind.LEVEL_SHIFT,
                        AnomalyKind.SUSTAINED_DEVIATION,
                        AnomalyKind.FLATLINE,
                        AnomalyKind.SILENCE,
                        AnomalyKind.DEVICE);
        assertThat(actual.out.anomalies)
                .hasSize(expected.out.anomalies.size())
                .containsExactlyInAnyOrderElementsOf(expected.out.anomalies);
    }
}
