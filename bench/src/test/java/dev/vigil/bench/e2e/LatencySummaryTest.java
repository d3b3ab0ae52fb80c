package dev.vigil.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencySummaryTest {

    @Test
    void nearestRankPercentilesOfOneToHundred() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i; // unsorted on purpose
        }
        LatencySummary s = LatencySummary.of(values);
        assertThat(s.count).isEqualTo(100);
        assertThat(s.p50Nanos).isEqualTo(50);
        assertThat(s.p99Nanos).isEqualTo(99);
        assertThat(s.maxNanos).isEqualTo(100);
        assertThat(values[0]).isEqualTo(100); // input untouched
    }

    @Test
    void p99OfSixtyIsTheMaximum() {
        long[] values = new long[60];
        for (int i = 0; i < 60; i++) {
            values[i] = (i + 1) * 10L;
        }
        LatencySummary s = LatencySummary.of(values);
        assertThat(s.p50Nanos).isEqualTo(300);
        assertThat(s.p99Nanos).isEqualTo(600);
    }

    @Test
    void emptyAndSingle() {
        assertThat(LatencySummary.of(new long[0]).p99Nanos).isEqualTo(-1);
        assertThat(LatencySummary.ms(-1)).isEqualTo("–");
        LatencySummary one = LatencySummary.of(new long[] {1_234_567});
        assertThat(one.p50Nanos).isEqualTo(1_234_567);
        assertThat(LatencySummary.ms(one.p99Nanos)).isEqualTo("1.2 ms");
    }
}
