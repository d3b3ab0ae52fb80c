package dev.vigil.connectors.influxdb;

import dev.vigil.connectors.influxdb.internal.BoundedInFlightRateLimitingStrategy;
import dev.vigil.connectors.influxdb.internal.InfluxDbHttp;
import dev.vigil.connectors.influxdb.internal.RetryBackoff;
import dev.vigil.connectors.influxdb.internal.WriteOutcome;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.groups.SinkWriterMetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Batches encoded lines and POSTs them to InfluxDB's {@code /write} ({@code precision=ms}).
 *
 * <p>Batching, buffering and checkpointing come from {@link AsyncSinkWriter}: a batch is sent when
 * it reaches the max line count or byte size, or after the max buffer time. On a checkpoint the
 * operator calls {@code flush(false)}: it waits until no request is in flight (each either written
 * or re-queued), then the still-buffered lines go into the checkpoint and are re-sent after a
 * restore. At end of input {@code flush(true)} writes everything. Nothing is lost across restarts
 * (at-least-once); since re-written points have the same series and timestamp, InfluxDB overwrites
 * them, so the stored result is exactly-once.
 *
 * <p>On error (see {@link dev.vigil.connectors.influxdb.internal.WriteResponseClassifier}):
 *
 * <ul>
 *   <li>5xx, timeout, connection error: the batch is re-queued after an exponential backoff (while
 *       waiting it counts as in flight, so the writer back-pressures). After {@code maxRetryTime}
 *       of uninterrupted failures the job fails.
 *   <li>bad points (HTTP 400, partial write): the server wrote the valid points; the rejected ones
 *       are dropped, counted in {@code numPointsRejected} and logged at WARN with the server's
 *       message. Retrying would fail the same way.
 *   <li>authentication, authorization, missing database/retention policy: the job fails with {@link
 *       InfluxDbSinkException} saying what to fix.
 * </ul>
 *
 * <p>Elements converted to an empty line (no representable field) are skipped and counted in {@code
 * numEmptyLinesSkipped}.
 */
public class InfluxDbSinkWriter<InputT> extends AsyncSinkWriter<InputT, String> {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxDbSinkWriter.class);

    private final InfluxDbConnectionConfig connection;
    private final InfluxDbHttp http;
    private final RetryBackoff backoff;
    private final ScheduledExecutorService retryScheduler;
    private final Counter pointsRejected;
    private final Counter emptyLinesSkipped;
    private final Counter retries;
    private final AtomicBoolean emptyLineWarned = new AtomicBoolean();

    public InfluxDbSinkWriter(
            ElementConverter<InputT, String> elementConverter,
            WriterInitContext context,
            AsyncSinkWriterConfiguration configuration,
            InfluxDbConnectionConfig connection,
            RetryBackoff backoff,
            Collection<BufferedRequestState<String>> states) {
        super(elementConverter, context, withBoundedInFlight(configuration), states);
        this.connection = connection;
        this.http = new InfluxDbHttp(connection);
        this.backoff = backoff;
        this.retryScheduler =
                Executors.newSingleThreadScheduledExecutor(InfluxDbSinkWriter::daemon);
        SinkWriterMetricGroup metrics = context.metricGroup();
        this.pointsRejected = metrics.counter("numPointsRejected");
        this.emptyLinesSkipped = metrics.counter("numEmptyLinesSkipped");
        this.retries = metrics.counter("numWriteRetries");
    }

    @Override
    protected void submitRequestEntries(List<String> entries, ResultHandler<String> result) {
        List<String> lines = withoutEmptyLines(entries);
        if (lines.isEmpty()) {
            result.complete();
            return;
        }
        http.write(lines).thenAccept(outcome -> handle(outcome, lines, result));
    }

    @Override
    protected long getSizeInBytes(String line) {
        return utf8Length(line) + 1L; // + newline
    }

    @Override
    public void close() {
        retryScheduler.shutdownNow();
        super.close();
    }

    long numPointsRejected() {
        return pointsRejected.getCount();
    }

    long numEmptyLinesSkipped() {
        return emptyLinesSkipped.getCount();
    }

    long numWriteRetries() {
        return retries.getCount();
    }

    private void handle(WriteOutcome outcome, List<String> lines, ResultHandler<String> result) {
        switch (outcome.getKind()) {
            case SUCCESS:
                backoff.onSuccess();
                result.complete();
                break;
            case BAD_POINTS:
                backoff.onSuccess();
                dropBadPoints(outcome, lines.size());
                result.complete();
                break;
            case RETRYABLE:
                retryLater(outcome, lines, result);
                break;
            default:
                result.completeExceptionally(new InfluxDbSinkException(outcome.getMessage()));
        }
    }

    private void dropBadPoints(WriteOutcome outcome, int batchSize) {
        pointsRejected.inc(outcome.getRejectedPoints());
        LOG.warn(
                "InfluxDB rejected {} of {} points written to database '{}' (dropped, counted in"
                        + " numPointsRejected): {}",
                outcome.getRejectedPoints(),
                batchSize,
                connection.getDatabase(),
                outcome.getMessage());
    }

    private void retryLater(
            WriteOutcome outcome, List<String> lines, ResultHandler<String> result) {
        long now = System.nanoTime();
        long delayMs = backoff.onFailure(now);
        if (backoff.exhausted(now)) {
            result.completeExceptionally(
                    new InfluxDbSinkException(
                            "giving up: writes to "
                                    + connection.getUrl()
                                    + " kept failing for longer than the maximum retry time; last"
                                    + " error: "
                                    + outcome.getMessage()));
            return;
        }
        retries.inc();
        LOG.warn(
                "write of {} lines failed ({}); retry #{} in {} ms",
                lines.size(),
                outcome.getMessage(),
                backoff.consecutiveFailures(),
                delayMs);
        try {
            retryScheduler.schedule(
                    () -> result.retryForEntries(lines), delayMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            LOG.debug("writer closing; {} lines stay buffered for the next attempt", lines.size());
        }
    }

    private List<String> withoutEmptyLines(List<String> entries) {
        int empty = 0;
        for (String line : entries) {
            if (line.isEmpty()) {
                empty++;
            }
        }
        if (empty == 0) {
            return entries;
        }
        emptyLinesSkipped.inc(empty);
        if (emptyLineWarned.compareAndSet(false, true)) {
            LOG.warn(
                    "skipping elements that encode to an empty line (no representable field, e.g."
                            + " only NaN values); further ones are only counted in"
                            + " numEmptyLinesSkipped");
        }
        List<String> lines = new ArrayList<>(entries.size() - empty);
        for (String line : entries) {
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static AsyncSinkWriterConfiguration withBoundedInFlight(
            AsyncSinkWriterConfiguration c) {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(c.getMaxBatchSize())
                .setMaxBatchSizeInBytes(c.getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(c.getMaxInFlightRequests())
                .setMaxBufferedRequests(c.getMaxBufferedRequests())
                .setMaxTimeInBufferMS(c.getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(c.getMaxRecordSizeInBytes())
                .setRequestTimeoutMS(c.getRequestTimeoutMS())
                .setFailOnTimeout(c.isFailOnTimeout())
                .setRateLimitingStrategy(
                        new BoundedInFlightRateLimitingStrategy(
                                c.getMaxInFlightRequests(), c.getMaxBatchSize()))
                .build();
    }

    private static Thread daemon(Runnable r) {
        Thread t = new Thread(r, "influxdb-sink-retry");
        t.setDaemon(true);
        return t;
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
