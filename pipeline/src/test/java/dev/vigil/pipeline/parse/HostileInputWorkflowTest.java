package dev.vigil.pipeline.parse;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.local.CollectingListener;
import dev.vigil.pipeline.local.LocalRun;
import dev.vigil.pipeline.testutils.HostilePayloads;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Hostile input through the whole job on a local MiniCluster: the job finishes (no failure, no
 * restart), accepted + rejected = sent, every reject has a reason and a detail. {@code
 * -Dvigil.hostile.count=N} for a larger run (default 20,000).
 */
class HostileInputWorkflowTest {

    /** One try: 20,000 generated envelopes (a fixed seed) through a local MiniCluster. */
    @Property(tries = 1, seed = "6000", shrinking = ShrinkingMode.OFF)
    void theJobSurvivesHostileInputAndAccountsForEveryMessage(
            @ForAll("hostileEnvelopes") List<Envelope> envelopes) throws Exception {
        CollectingListener out = new CollectingListener();

        LocalRun.Counts counts = LocalRun.run(VigilConfig.defaults(), envelopes, 2, false, out);

        assertThat(counts.received).isEqualTo(envelopes.size());
        assertThat(counts.accepted + counts.rejected).isEqualTo(envelopes.size());
        assertThat(out.rejects).hasSize((int) counts.rejected);
        assertThat(counts.accepted).as("some hostile input is valid").isPositive();
        assertThat(counts.rejected).isPositive();
        for (Reject reject : out.rejects) {
            assertThat(reject.getReason()).as("reason of %s", reject).isNotNull();
            assertThat(reject.getDetail()).as("detail of %s", reject).isNotBlank();
        }
        System.out.printf(
                "Hostile input through the job: %d sent, %d accepted, %d rejected%n",
                envelopes.size(), counts.accepted, counts.rejected);
    }

    @Provide
    Arbitrary<List<Envelope>> hostileEnvelopes() {
        return HostilePayloads.any()
                .list()
                .ofSize(Integer.getInteger("vigil.hostile.count", 20_000));
    }
}
