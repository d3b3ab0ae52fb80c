package dev.vigil.connectors.influxdb;

import dev.vigil.connectors.influxdb.internal.LineStateSerializer;
import dev.vigil.connectors.influxdb.internal.RetryBackoff;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.core.io.SimpleVersionedSerializer;

/**
 * Flink Sink V2 writing InfluxDB line protocol to an InfluxDB 1.x database over HTTP.
 *
 * <pre>{@code
 * stream.sinkTo(InfluxDbSink.<ScoredPoint>builder()
 *         .setUrl("http://127.0.0.1:8086")
 *         .setDatabase("vigil")
 *         .setCredentials(System.getenv("INFLUX_USERNAME"), System.getenv("INFLUX_PASSWORD"))
 *         .setElementConverter(new ScoreConverter())   // ElementConverter<ScoredPoint, String>
 *         .build());
 * }</pre>
 *
 * <p>Each element becomes one line (see {@link LineProtocol}, {@link
 * LineProtocolElementConverter}). Delivery: at-least-once, effectively exactly-once for points with
 * explicit timestamps (see {@link InfluxDbSinkWriter} for batching, retries and errors).
 */
public class InfluxDbSink<InputT> extends AsyncSinkBase<InputT, String> {

    private static final long serialVersionUID = 1L;

    private final InfluxDbConnectionConfig connection;
    private final boolean createDatabase;
    private final String retentionPolicyDuration;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryTime;

    InfluxDbSink(
            ElementConverter<InputT, String> elementConverter,
            int maxBatchSize,
            int maxInFlightRequests,
            int maxBufferedRequests,
            long maxBatchSizeInBytes,
            long maxTimeInBufferMs,
            long maxRecordSizeInBytes,
            InfluxDbConnectionConfig connection,
            boolean createDatabase,
            String retentionPolicyDuration,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration maxRetryTime) {
        super(
                elementConverter,
                maxBatchSize,
                maxInFlightRequests,
                maxBufferedRequests,
                maxBatchSizeInBytes,
                maxTimeInBufferMs,
                maxRecordSizeInBytes);
        this.connection = connection;
        this.createDatabase = createDatabase;
        this.retentionPolicyDuration = retentionPolicyDuration;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxRetryTime = maxRetryTime;
    }

    /** A builder; {@link InfluxDbSinkBuilder#build()} validates it. */
    public static <T> InfluxDbSinkBuilder<T> builder() {
        return new InfluxDbSinkBuilder<>();
    }

    public InfluxDbConnectionConfig getConnection() {
        return connection;
    }

    /** Longest time a line waits in a writer's buffer before it is written (maxTimeInBufferMS). */
    public Duration flushInterval() {
        return Duration.ofMillis(getMaxTimeInBufferMS());
    }

    @Override
    public StatefulSinkWriter<InputT, BufferedRequestState<String>> createWriter(
            WriterInitContext context) throws IOException {
        return restoreWriter(context, Collections.emptyList());
    }

    @Override
    public StatefulSinkWriter<InputT, BufferedRequestState<String>> restoreWriter(
            WriterInitContext context, Collection<BufferedRequestState<String>> recoveredState)
            throws IOException {
        if (createDatabase) {
            prepareDatabase();
        }
        return new InfluxDbSinkWriter<>(
                getElementConverter(),
                context,
                writerConfiguration(),
                connection,
                new RetryBackoff(
                        initialBackoff.toMillis(), maxBackoff.toMillis(), maxRetryTime.toMillis()),
                recoveredState);
    }

    /** Not used by Flink ≥ 1.19 (it calls {@link #createWriter(WriterInitContext)}). */
    @Override
    @Deprecated
    public InfluxDbSinkWriter<InputT> createWriter(Sink.InitContext context) {
        throw new UnsupportedOperationException(
                "InfluxDbSink needs a WriterInitContext (Flink >= 1.19)");
    }

    @Override
    public SimpleVersionedSerializer<BufferedRequestState<String>> getWriterStateSerializer() {
        return new LineStateSerializer();
    }

    private void prepareDatabase() {
        InfluxDbAdmin admin = new InfluxDbAdmin(connection);
        admin.createDatabase(connection.getDatabase());
        if (connection.getRetentionPolicy() != null && retentionPolicyDuration != null) {
            admin.createOrAlterRetentionPolicy(
                    connection.getDatabase(),
                    connection.getRetentionPolicy(),
                    retentionPolicyDuration,
                    false);
        }
    }

    AsyncSinkWriterConfiguration writerConfiguration() {
        return AsyncSinkWriterConfiguration.builder()
                .setMaxBatchSize(getMaxBatchSize())
                .setMaxBatchSizeInBytes(getMaxBatchSizeInBytes())
                .setMaxInFlightRequests(getMaxInFlightRequests())
                .setMaxBufferedRequests(getMaxBufferedRequests())
                .setMaxTimeInBufferMS(getMaxTimeInBufferMS())
                .setMaxRecordSizeInBytes(getMaxRecordSizeInBytes())
                .build();
    }
}
