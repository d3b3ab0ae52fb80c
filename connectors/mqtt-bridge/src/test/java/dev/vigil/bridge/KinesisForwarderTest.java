package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.bridge.testutils.Await;
import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

class KinesisForwarderTest {

    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor();
    private final BridgeMetrics metrics = new BridgeMetrics(1000);
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger deadLettered = new AtomicInteger();

    @AfterEach
    void stop() {
        retries.shutdownNow();
    }

    @Test
    void batchesStayWithin500RecordsAndOneStream() {
        FakeKinesis kinesis = new FakeKinesis(request -> allOk(request));
        try (KinesisForwarder forwarder = forwarder(kinesis, 1_000_000)) {
            for (int i = 0; i < 1_200; i++) {
                forwarder.forward(envelope("sensors/dev-" + (i % 7) + "/t", 10), outcome());
            }
            Await.until(Duration.ofSeconds(10), () -> forwarded.get() == 1_200, kinesis::toString);
        }
        assertThat(kinesis.requests)
                .allSatisfy(r -> assertThat(r.records()).hasSizeBetween(1, 500));
        assertThat(kinesis.requests.stream().mapToInt(r -> r.records().size()).sum())
                .isEqualTo(1_200);
        assertThat(kinesis.requests).allSatisfy(r -> assertThat(r.streamName()).isEqualTo("main"));
        PutRecordsRequestEntry first = kinesis.requests.get(0).records().get(0);
        assertThat(first.partitionKey()).isEqualTo(EnvelopeCodec.partitionKey("sensors/dev-0/t"));
        assertThat(EnvelopeCodec.tryDecode(first.data().asByteArray()).getTopic())
                .isEqualTo("sensors/dev-0/t");
        assertThat(deadLettered.get()).isZero();
    }

    @Test
    void onlyTheFailedEntriesOfAPartiallyFailedBatchAreSentAgain() {
        AtomicInteger calls = new AtomicInteger();
        FakeKinesis kinesis =
                new FakeKinesis(
                        request ->
                                calls.getAndIncrement() == 0
                                        ? everySecondThrottled(request)
                                        : allOk(request));
        try (KinesisForwarder forwarder = forwarder(kinesis, 1_000_000)) {
            for (int i = 0; i < 10; i++) {
                forwarder.forward(envelope("sensors/dev-" + i + "/t", 10), outcome());
            }
            Await.until(Duration.ofSeconds(10), () -> forwarded.get() == 10, kinesis::toString);
        }
        assertThat(kinesis.requests).hasSize(2);
        assertThat(kinesis.requests.get(0).records()).hasSize(10);
        assertThat(kinesis.requests.get(1).records())
                .extracting(PutRecordsRequestEntry::partitionKey)
                .containsExactly("dev-1", "dev-3", "dev-5", "dev-7", "dev-9");
        assertThat(metrics.failed()).isEqualTo(5);
        assertThat(metrics.retried()).isEqualTo(5);
    }

    @Test
    void aThrottledRequestIsRetriedWholeUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        FakeKinesis kinesis =
                new FakeKinesis(
                        request ->
                                calls.getAndIncrement() < 2
                                        ? CompletableFuture.failedFuture(
                                                ProvisionedThroughputExceededException.builder()
                                                        .message("Rate exceeded")
                                                        .build())
                                        : allOk(request));
        try (KinesisForwarder forwarder = forwarder(kinesis, 1_000_000)) {
            for (int i = 0; i < 3; i++) {
                forwarder.forward(envelope("sensors/dev-" + i + "/t", 10), outcome());
            }
            Await.until(Duration.ofSeconds(10), () -> forwarded.get() == 3, kinesis::toString);
        }
        assertThat(kinesis.requests).hasSize(3);
        assertThat(kinesis.requests).allSatisfy(r -> assertThat(r.records()).hasSize(3));
        assertThat(metrics.retried()).isEqualTo(6);
    }

    @Test
    void aMessageTooLargeForARecordGoesTruncatedToTheDeadLetterStream() {
        FakeKinesis kinesis = new FakeKinesis(request -> allOk(request));
        try (KinesisForwarder forwarder = forwarder(kinesis, 4096)) {
            forwarder.forward(envelope("sensors/dev-1/t", 10_000), outcome());
            Await.until(Duration.ofSeconds(10), () -> deadLettered.get() == 1, kinesis::toString);
        }
        assertThat(kinesis.requests).hasSize(1);
        assertThat(kinesis.requests.get(0).streamName()).isEqualTo("dead");
        Envelope dead =
                EnvelopeCodec.tryDecode(
                        kinesis.requests.get(0).records().get(0).data().asByteArray());
        assertThat(dead.getPayload()).hasSize(100);
        assertThat(forwarded.get()).isZero();
    }

    // ------------------------------------------------------------------ helpers

    private KinesisForwarder forwarder(FakeKinesis kinesis, int maxRecordBytes) {
        BridgeConfig.Kinesis config = new BridgeConfig.Kinesis();
        config.stream = "main";
        config.deadLetterStream = "dead";
        config.maxRecordBytes = maxRecordBytes;
        config.deadLetterPayloadBytes = 100;
        return new KinesisForwarder(config, kinesis, retries, metrics);
    }

    private Forwarder.Outcome outcome() {
        return new Forwarder.Outcome() {
            @Override
            public void forwarded() {
                forwarded.incrementAndGet();
            }

            @Override
            public void deadLettered() {
                deadLettered.incrementAndGet();
            }
        };
    }

    private static Envelope envelope(String topic, int payloadBytes) {
        byte[] payload = "x".repeat(payloadBytes).getBytes(StandardCharsets.UTF_8);
        return new Envelope(topic, payload, 1_700_000_000_000L);
    }

    private static CompletableFuture<PutRecordsResponse> allOk(PutRecordsRequest request) {
        List<PutRecordsResultEntry> results = new ArrayList<>();
        for (int i = 0; i < request.records().size(); i++) {
            results.add(
                    PutRecordsResultEntry.builder().sequenceNumber("s" + i).shardId("0").build());
        }
        return CompletableFuture.completedFuture(
                PutRecordsResponse.builder().records(results).failedRecordCount(0).build());
    }

    private static CompletableFuture<PutRecordsResponse> everySecondThrottled(
            PutRecordsRequest request) {
        List<PutRecordsResultEntry> results = new ArrayList<>();
        for (int i = 0; i < request.records().size(); i++) {
            results.add(
                    i % 2 == 1
                            ? PutRecordsResultEntry.builder()
                                    .errorCode("ProvisionedThroughputExceededException")
                                    .errorMessage("Rate exceeded for shard")
                                    .build()
                            : PutRecordsResultEntry.builder().sequenceNumber("s").build());
        }
        return CompletableFuture.completedFuture(
                PutRecordsResponse.builder()
                        .records(results)
                        .failedRecordCount(request.records().size() / 2)
                        .build());
    }

    /** Records every request (in order) and answers with {@code answer}. */
    private static final class FakeKinesis implements KinesisForwarder.Client {
        final List<PutRecordsRequest> requests = Collections.synchronizedList(new ArrayList<>());
        private final Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> answer;

        FakeKinesis(Function<PutRecordsRequest, CompletableFuture<PutRecordsResponse>> answer) {
            this.answer = answer;
        }

        @Override
        public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
            requests.add(request);
            return answer.apply(request);
        }

        @Override
        public CompletableFuture<DescribeStreamSummaryResponse> describe(String stream) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void close() {}

        @Override
        public String toString() {
            return requests.size() + " request(s)";
        }
    }
}
