package dev.vigil.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.local.CollectingListener;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.testutils.HostilePayloads;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.RandomGenerator;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hostile input through the whole job on a MiniCluster: the job finishes (no failure, no restart),
 * accepted + rejected = sent, every reject has a reason and a detail. {@code
 * -Dvigil.hostile.count=N} for a larger run (default 20,000).
 */
class HostileInputWorkflowTest {

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    @Test
    void theJobSurvivesHostileInputAndAccountsForEveryMessage() throws Exception {
        List<Envelope> envelopes = generate(Integer.getInteger("vigil.hostile.count", 20_000));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        CollectingListener out = new CollectingListener();

        LocalRun.Counts counts = LocalRun.run(env, VigilConfig.defaults(), envelopes, false, out);

        assertThat(counts.received).isEqualTo(envelopes.size());
        assertThat(counts.accepted + counts.rejected).isEqualTo(envelopes.size());
        assertThat(out.rejects).hasSize((int) counts.rejected);
        assertThat(counts.accepted).as("some hostile input is valid").isPositive();
        assertThat(counts.rejected).isPositive();
        for (Reject reject : out.rejects) {
            assertThat(reject.getReason()).as("reason of %s", reject).isNotNull();
            assertThat(reject.getDetail()).as("detail of %s", reject).isNotBlank();
        }
    }

    /** Deterministic: a fixed seed. */
    private static List<Envelope> generate(int count) {
        RandomGenerator<Envelope> generator = HostilePayloads.any().generator(1000);
        Random random = new Random(6_000L);
        List<Envelope> envelopes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            envelopes.add(generator.next(random).value());
        }
        return envelopes;
    }
}
