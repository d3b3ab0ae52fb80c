package dev.vigil.simulator.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

    /** A fake clock that only moves when the pacer parks. */
    private static final class FakeClock {
        long nanos = 1_000;
        final List<Long> parks = new ArrayList<>();

        void park(long n) {
            parks.add(n);
            nanos += n;
        }
    }

    @Test
    void rateSpacesEventsEvenlyFromTheFirst() {
        FakeClock clock = new FakeClock();
        Pacer pacer = new Pacer(Pacer.rate(4), () -> clock.nanos, clock::park);

        for (int i = 0; i < 4; i++) {
            pacer.awaitSlot(0);
        }

        assertThat(clock.parks).containsExactly(250_000_000L, 250_000_000L, 250_000_000L);
        assertThat(clock.nanos).isEqualTo(1_000 + 750_000_000L);
    }

    @Test
    void aSlowCallerCatchesUpInsteadOfDrifting() {
        FakeClock clock = new FakeClock();
        Pacer pacer = new Pacer(Pacer.rate(10), () -> clock.nanos, clock::park);

        pacer.awaitSlot(0);
        clock.nanos += 250_000_000L; // the caller took 250 ms: slots 1 and 2 are already due
        pacer.awaitSlot(0);
        pacer.awaitSlot(0);
        pacer.awaitSlot(0);

        assertThat(clock.parks).containsExactly(50_000_000L);
    }

    @Test
    void speedReplaysEventTimeScaled() {
        FakeClock clock = new FakeClock();
        Pacer pacer = new Pacer(Pacer.speed(10), () -> clock.nanos, clock::park);

        pacer.awaitSlot(1_767_225_600_000L);
        pacer.awaitSlot(1_767_225_610_000L); // 10 s of event time later: 1 s at 10x
        pacer.awaitSlot(1_767_225_610_000L);
        pacer.awaitSlot(1_767_225_605_000L); // an older one is due at once

        assertThat(clock.parks).containsExactly(1_000_000_000L);
    }

    @Test
    void invalidRatesAreRejected() {
        assertThatThrownBy(() -> Pacer.rate(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pacer.speed(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pacer.rate(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
