package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BridgeMetricsTest {

    @Test
    void rendersCountersGaugesAndCumulativeHistogram() {
        BridgeMetrics metrics = new BridgeMetrics(100);
        metrics.received.add(3);
        metrics.forwarded.add(2);
        metrics.deadLettered.increment();
        metrics.inFlightGauge(() -> 4);
        metrics.admitted(7);
        metrics.admitted(5);
        metrics.forwardLatency(2_000_000); // 2 ms
        metrics.forwardLatency(20_000_000_000L); // 20 s

        String text = metrics.render();
        assertThat(text)
                .contains(
                        "# TYPE vigil_bridge_received_total counter\nvigil_bridge_received_total 3\n")
                .contains("vigil_bridge_forwarded_total 2\n")
                .contains("vigil_bridge_dead_lettered_total 1\n")
                .contains("vigil_bridge_in_flight 4\n")
                .contains("vigil_bridge_in_flight_peak 7\n")
                .contains("vigil_bridge_max_in_flight 100\n")
                .contains("vigil_bridge_forward_latency_seconds_bucket{le=\"0.001\"} 0\n")
                .contains("vigil_bridge_forward_latency_seconds_bucket{le=\"0.0025\"} 1\n")
                .contains("vigil_bridge_forward_latency_seconds_bucket{le=\"10.0\"} 1\n")
                .contains("vigil_bridge_forward_latency_seconds_bucket{le=\"30.0\"} 2\n")
                .contains("vigil_bridge_forward_latency_seconds_bucket{le=\"+Inf\"} 2\n")
                .contains("vigil_bridge_forward_latency_seconds_count 2\n")
                .contains("vigil_bridge_forward_latency_seconds_sum 20.002\n");
    }
}
