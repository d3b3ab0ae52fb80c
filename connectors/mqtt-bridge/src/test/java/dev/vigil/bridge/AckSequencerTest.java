package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AckSequencerTest {

    private final List<Integer> acked = new ArrayList<>();
    private int released;

    private final AckSequencer sequencer =
            new AckSequencer(
                    new AckSequencer.Acker() {
                        @Override
                        public void ack(int messageId, int qos) {
                            acked.add(messageId);
                        }

                        @Override
                        public void release() {
                            released++;
                        }
                    });

    @Test
    void acknowledgesInArrivalOrderOnceTheHeadIsDone() {
        AckSequencer.Slot one = sequencer.register(1, 1, 0);
        AckSequencer.Slot two = sequencer.register(2, 1, 0);
        AckSequencer.Slot three = sequencer.register(3, 1, 0);

        sequencer.complete(three);
        sequencer.complete(two);
        assertThat(acked).isEmpty();
        assertThat(released).isZero();

        sequencer.complete(one);
        assertThat(acked).containsExactly(1, 2, 3);
        assertThat(released).isEqualTo(3);
        assertThat(sequencer.pendingCount()).isZero();
    }

    @Test
    void qosZeroAndOldConnectionsReleaseWithoutAcknowledging() {
        AckSequencer.Slot old = sequencer.register(7, 1, 0);
        sequencer.newConnection();
        AckSequencer.Slot qos0 = sequencer.register(0, 0, 0);
        AckSequencer.Slot fresh = sequencer.register(7, 1, 0);

        sequencer.complete(fresh);
        sequencer.complete(qos0);
        sequencer.complete(old);

        assertThat(acked).containsExactly(7); // only the message of the current connection
        assertThat(released).isEqualTo(3);
    }
}
