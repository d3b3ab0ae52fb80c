package dev.vigil.connectors.influxdb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetryBackoffTest {

    private static final long MS = 1_000_000L;

    @Test
    void doublesUpToTheCapAndResetsOnSuccess() {
        RetryBackoff backoff = new RetryBackoff(100, 1000, 60_000);

        assertThat(backoff.onFailure(0)).isEqualTo(100);
        assertThat(backoff.onFailure(0)).isEqualTo(200);
        assertThat(backoff.onFailure(0)).isEqualTo(400);
        assertThat(backoff.onFailure(0)).isEqualTo(800);
        assertThat(backoff.onFailure(0)).isEqualTo(1000);
        assertThat(backoff.onFailure(0)).isEqualTo(1000);
        backoff.onSuccess();
        assertThat(backoff.onFailure(0)).isEqualTo(100);
    }

    @Test
    void isExhaustedOnlyAfterFailingLongerThanTheMaxRetryTime() {
        RetryBackoff backoff = new RetryBackoff(100, 1000, 5_000);

        backoff.onFailure(10 * MS);
        assertThat(backoff.exhausted(5_010 * MS)).isFalse();
        backoff.onFailure(5_011 * MS);
        assertThat(backoff.exhausted(5_011 * MS)).isTrue();
        backoff.onSuccess();
        assertThat(backoff.exhausted(99_000 * MS)).isFalse();
    }
}
