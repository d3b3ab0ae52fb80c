package dev.vigil.connectors.influxdb.internal;

import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;

/**
 * At most N requests in flight, full batches always. Replaces the default AIMD strategy, which
 * starts with one batch in flight and shrinks batches after every retried request (slow recovery
 * after an InfluxDB outage); back-pressure here comes from the bounded in-flight count and from the
 * writer's backoff, which keeps a failed request "in flight" until its retry.
 */
public final class BoundedInFlightRateLimitingStrategy implements RateLimitingStrategy {

    private final int maxInFlightRequests;
    private final int maxBatchSize;
    private int inFlightRequests;

    public BoundedInFlightRateLimitingStrategy(int maxInFlightRequests, int maxBatchSize) {
        this.maxInFlightRequests = maxInFlightRequests;
        this.maxBatchSize = maxBatchSize;
    }

    @Override
    public void registerInFlightRequest(RequestInfo requestInfo) {
        inFlightRequests++;
    }

    @Override
    public void registerCompletedRequest(ResultInfo resultInfo) {
        inFlightRequests = Math.max(0, inFlightRequests - 1);
    }

    @Override
    public boolean shouldBlock(RequestInfo requestInfo) {
        return inFlightRequests >= maxInFlightRequests;
    }

    @Override
    public int getMaxBatchSize() {
        return maxBatchSize;
    }
}
