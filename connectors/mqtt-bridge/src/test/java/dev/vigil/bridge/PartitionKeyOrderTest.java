package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PartitionKeyOrderTest {

    private final PartitionKeyOrder<String> order = new PartitionKeyOrder<>();

    @Test
    void aKeyInAnUnconfirmedRequestHoldsItsLaterRecords() {
        Set<String> first = new HashSet<>();
        assertThat(order.admit("a", "a1", first)).isTrue();
        assertThat(order.admit("a", "a2", first)).isTrue(); // same request: fine
        assertThat(order.admit("b", "b1", first)).isTrue();

        Set<String> second = new HashSet<>();
        assertThat(order.admit("a", "a3", second)).isFalse();
        assertThat(order.admit("c", "c1", second)).isTrue();
        assertThat(order.admit("a", "a4", second)).isFalse();
        assertThat(order.heldCount()).isEqualTo(2);

        order.finished(List.of("a", "b"));
        List<String> third = new ArrayList<>();
        Set<String> thirdKeys = new HashSet<>();
        order.drainReleased(third::add, thirdKeys);

        assertThat(third).containsExactly("a3", "a4");
        assertThat(thirdKeys).containsExactly("a");
        assertThat(order.heldCount()).isZero();
        // a is outstanding again (in the third request): a newer record waits
        assertThat(order.admit("a", "a5", new HashSet<>())).isFalse();
    }

    @Test
    void aFullRequestLeavesTheRestOfAKeyHeldUntilItIsConfirmed() {
        order.admit("a", "a1", new HashSet<>());
        order.admit("a", "a2", new HashSet<>());
        order.admit("a", "a3", new HashSet<>());
        order.finished(List.of("a"));

        List<String> request = new ArrayList<>();
        order.drainReleased(r -> request.size() < 1 && request.add(r), new HashSet<>());
        assertThat(request).containsExactly("a2");
        assertThat(order.heldCount()).isEqualTo(1);

        List<String> next = new ArrayList<>();
        order.drainReleased(next::add, new HashSet<>());
        assertThat(next).as("a2 is not confirmed yet").isEmpty();

        order.finished(List.of("a"));
        order.drainReleased(next::add, new HashSet<>());
        assertThat(next).containsExactly("a3");
    }

    @Test
    void aKeyWithFailuresStaysOutstanding() {
        order.admit("a", "a1", new HashSet<>());
        order.admit("a", "a2", new HashSet<>());
        order.finished(List.of()); // a1 failed: its retry is pending

        List<String> request = new ArrayList<>();
        order.drainReleased(request::add, new HashSet<>());
        assertThat(request).isEmpty();
        assertThat(order.heldCount()).isEqualTo(1);
    }
}
