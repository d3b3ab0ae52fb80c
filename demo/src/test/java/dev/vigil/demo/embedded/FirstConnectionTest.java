package dev.vigil.demo.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The embedded demo retries a client's first connection to its just-started broker. */
class FirstConnectionTest {

    @Test
    void aDroppedFirstAttemptIsTriedAgain() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        String connected =
                EmbeddedKafkaFeed.firstConnection(
                        "a client",
                        () -> {
                            if (attempts.incrementAndGet() < 2) {
                                throw new IllegalStateException("the broker closed the connection");
                            }
                            return "connected";
                        });
        assertThat(connected).isEqualTo("connected");
        assertThat(attempts).hasValue(2);
    }

    @Test
    void afterTheLastAttemptTheErrorReachesTheCaller() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(
                        () ->
                                EmbeddedKafkaFeed.firstConnection(
                                        "a client",
                                        () -> {
                                            attempts.incrementAndGet();
                                            throw new IllegalStateException("refused");
                                        }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("refused");
        assertThat(attempts).hasValue(EmbeddedKafkaFeed.CONNECT_ATTEMPTS);
    }
}
