package dev.vigil.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpikePlanTest {

    @Test
    void oneSpikePerSecondOnDistinctSeriesAfterTheWarmup() {
        int devices = 1000;
        long rate = 5000;
        long warmup = 20 * rate;
        SpikePlan plan = new SpikePlan(devices, 2, warmup, rate, 60);
        List<Long> indices = new ArrayList<>();
        Set<Integer> spikedDevices = new HashSet<>();
        for (long i = 0; i < warmup + 70 * rate; i++) {
            int field = plan.spikeField(i);
            if (field >= 0) {
                indices.add(i);
                spikedDevices.add(SpikePlan.device(i, devices));
                assertThat(field).isEqualTo((int) ((i - warmup) / rate) % 2);
            }
        }
        assertThat(indices).hasSize(60);
        assertThat(spikedDevices).hasSize(60);
        for (int s = 0; s < 60; s++) {
            long index = indices.get(s);
            assertThat((index - warmup) / rate).isEqualTo(s); // in second s
            assertThat(SpikePlan.device(index, devices)).isEqualTo(plan.spikeDevice(s));
        }
        assertThat(indices.get(0)).isEqualTo(warmup); // device 0 opens second 0
        assertThat(indices.get(1)).isEqualTo(warmup + rate + 7); // stride 7 (coprime to 1000)
    }

    @Test
    void unevenFleetStillGetsEverySpike() {
        SpikePlan plan = new SpikePlan(997, 3, 1234, 4000, 50);
        int found = 0;
        for (long i = 0; i < 1234 + 50 * 4000L; i++) {
            found += plan.spikeField(i) >= 0 ? 1 : 0;
        }
        assertThat(found).isEqualTo(50);
    }

    @Test
    void strideIsCoprime() {
        assertThat(SpikePlan.coprimeStride(1000)).isEqualTo(7);
        assertThat(SpikePlan.coprimeStride(7)).isEqualTo(8);
        assertThat(SpikePlan.coprimeStride(56)).isEqualTo(9);
    }

    @Test
    void rejectsMoreSpikesThanDevices() {
        assertThatThrownBy(() -> new SpikePlan(10, 2, 0, 100, 11))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
