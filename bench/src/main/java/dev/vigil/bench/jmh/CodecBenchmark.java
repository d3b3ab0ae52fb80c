package dev.vigil.bench.jmh;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link EnvelopeCodec#decode} per Kafka/Kinesis record, as every record of the transport is
 * decoded: a routed ASCII topic (the usual case, copied straight into a string) and, as the
 * baseline in the same run, the same record with one non-ASCII character in the topic, which takes
 * the strict UTF-8 decoder that every topic went through before round 5.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    private static final String PAYLOAD =
            "{\"id\":\"dev-00042\",\"temperature\":21.37,\"humidity\":48.20,\"city\":\"Oslo\"}";

    private byte[] asciiTopic;
    private byte[] nonAsciiTopic;

    @Setup(Level.Trial)
    public void setUp() {
        asciiTopic =
                EnvelopeCodec.encode(
                        Envelope.of("sensors/dev-00042/telemetry", PAYLOAD, 1_767_225_600_000L));
        nonAsciiTopic =
                EnvelopeCodec.encode(
                        Envelope.of("sensors/dév-00042/telemetry", PAYLOAD, 1_767_225_600_000L));
    }

    @Benchmark
    public Envelope decodeAsciiTopic() {
        return EnvelopeCodec.decodeOrUnroutable(asciiTopic, 0L);
    }

    @Benchmark
    public Envelope decodeNonAsciiTopic() {
        return EnvelopeCodec.decodeOrUnroutable(nonAsciiTopic, 0L);
    }
}
