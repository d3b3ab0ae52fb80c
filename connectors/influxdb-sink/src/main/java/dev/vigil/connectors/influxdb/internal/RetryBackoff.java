package dev.vigil.connectors.influxdb.internal;

/**
 * Exponential backoff shared by all requests of one writer: {@code initial * 2^(failures-1)},
 * capped at {@code max}; any success resets it. Also tracks since when writes keep failing, so the
 * writer can give up after a maximum retry time. Thread-safe (HTTP callbacks run on client
 * threads).
 */
public final class RetryBackoff {

    private final long initialMs;
    private final long maxMs;
    private final long maxRetryNanos;
    private int consecutiveFailures;
    private long failingSinceNanos;

    public RetryBackoff(long initialMs, long maxMs, long maxRetryMs) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.maxRetryNanos = maxRetryMs * 1_000_000L;
    }

    /** Records a failure observed at {@code nowNanos}; returns the delay before the retry. */
    public synchronized long onFailure(long nowNanos) {
        if (consecutiveFailures == 0) {
            failingSinceNanos = nowNanos;
        }
        consecutiveFailures++;
        int exponent = Math.min(consecutiveFailures - 1, 30);
        return Math.min(maxMs, initialMs << exponent);
    }

    /** True when writes have kept failing for longer than the maximum retry time. */
    public synchronized boolean exhausted(long nowNanos) {
        return consecutiveFailures > 0 && nowNanos - failingSinceNanos > maxRetryNanos;
    }

    public synchronized void onSuccess() {
        consecutiveFailures = 0;
    }

    public synchronized int consecutiveFailures() {
        return consecutiveFailures;
    }
}
