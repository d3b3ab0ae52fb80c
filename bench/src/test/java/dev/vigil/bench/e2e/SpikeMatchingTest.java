package dev.vigil.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SpikeMatchingTest {

    private static final long T0 = 1_764_000_000_000L;

    @Test
    void influxRowsMatchSpikesOnDeviceFieldAndTime() throws Exception {
        SpikeLedger ledger = new SpikeLedger();
        ledger.published(new SpikeLedger.Spike("dev-0001", "f0", T0, 1_000));
        ledger.published(new SpikeLedger.Spike("dev-0008", "f1", T0 + 1000, 2_000));
        String body =
                "{\"results\":[{\"statement_id\":0,\"series\":[{\"name\":\"vigil_anomalies\","
                        + "\"columns\":[\"time\",\"score\",\"device\",\"field\"],\"values\":["
                        + "["
                        + T0
                        + ",99.0,\"dev-0001\",\"f0\"],"
                        + "["
                        + (T0 + 1000)
                        + ",98.0,\"dev-0008\",\"f0\"],"
                        + "["
                        + (T0 + 1)
                        + ",97.0,\"dev-0001\",\"f0\"]]}]}]}";

        int matched = AnomalyPoller.matchRows(new ObjectMapper().readTree(body), ledger, 5_000);

        assertThat(matched).isEqualTo(1); // wrong field, wrong time: no match
        assertThat(ledger.count(SpikeLedger.Stage.VISIBLE)).isEqualTo(1);
        assertThat(ledger.latencies(SpikeLedger.Stage.VISIBLE)).containsExactly(4_000L);
        assertThat(ledger.earliestUnseenMs(SpikeLedger.Stage.VISIBLE)).isEqualTo(T0 + 1000);
        assertThat(ledger.unseen(SpikeLedger.Stage.VISIBLE)).hasSize(1);
    }

    @Test
    void firstSightingCountsAndMessagesMatchAnyField() {
        SpikeLedger ledger = new SpikeLedger();
        ledger.published(new SpikeLedger.Spike("dev-0001", "f1", T0, 1_000));

        assertThat(ledger.seen(SpikeLedger.Stage.KAFKA, "dev-0001", null, T0, 3_000)).isTrue();
        assertThat(ledger.seen(SpikeLedger.Stage.KAFKA, "dev-0001", null, T0, 9_000)).isFalse();
        assertThat(ledger.seen(SpikeLedger.Stage.KAFKA, "dev-0002", null, T0, 9_000)).isFalse();

        assertThat(ledger.latencies(SpikeLedger.Stage.KAFKA)).containsExactly(2_000L);
        assertThat(ledger.seen(SpikeLedger.Stage.EMITTED, "dev-0001", "f1", T0, 7_500)).isTrue();
        assertThat(ledger.latencies(SpikeLedger.Stage.KAFKA, SpikeLedger.Stage.EMITTED))
                .containsExactly(4_500L);
        assertThat(ledger.latencies(SpikeLedger.Stage.EMITTED, SpikeLedger.Stage.VISIBLE))
                .isEmpty();
        assertThat(ledger.earliestUnseenMs(SpikeLedger.Stage.KAFKA)).isEqualTo(-1);
    }

    @Test
    void emittedSpikesAreFoundByTheirDeviceTag() {
        assertThat(
                        EmittedSpikeRecorder.tag(
                                new String[] {"city", "x", "device", "dev-0003"}, "device"))
                .isEqualTo("dev-0003");
        assertThat(EmittedSpikeRecorder.tag(new String[] {"city"}, "device")).isNull();
        assertThat(EmittedSpikeRecorder.tag(null, "device")).isNull();
    }

    @Test
    void pollerQueryAsksForSpikeRowsSinceTheEarliestUnseen() {
        assertThat(AnomalyPoller.query(T0))
                .isEqualTo(
                        "SELECT \"score\",\"device\",\"field\" FROM \"vigil_anomalies\" WHERE"
                                + " \"kind\"='spike' AND time >= 1764000000000ms");
    }
}
