package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.bridge.testutils.Await;
import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
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
    void aMessageTooLargeForARecordGoesTruncatedToTheDeadLetterStreamWithItsReason()
            throws Exception {
        FakeKinesis kinesis = new FakeKinesis(request -> allOk(request));
        try (KinesisForwarder forwarder = forwarder(kinesis, 4096)) {
            forwarder.forward(envelope("sensors/dev-1/t", 10_000), outcome());
            Await.until(Duration.ofSeconds(10), () -> deadLettered.get() == 1, kinesis::toString);
        }
        assertThat(kinesis.requests).hasSize(1);
        assertThat(kinesis.requests.get(0).streamName()).isEqualTo("dead");
        JsonNode dead =
                new ObjectMapper()
                        .readTree(kinesis.requests.get(0).records().get(0).data().asByteArray());
        assertThat(dead.get("reason").asText())
                .isEqualTo(
                        "RECORD_TOO_LARGE: 10032 bytes, more than kinesis.max-record-bytes = 4096");
        assertThat(dead.get("topic").asText()).isEqualTo("sensors/dev-1/t");
        assertThat(dead.get("payloadBytes").asInt()).isEqualTo(10_000);
        assertThat(dead.get("receivedAt").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(Base64.getDecoder().decode(dead.get("payloadBase64").asText()))
                .hasSize(100)
                .containsOnly((byte) 'x');
        assertThat(forwarded.get()).isZero();
    }

    /**
     * dev-1 has r0…r4 in the first request; r1 fails, r2…r4 succeed. The retry sends r1…r4 again,
     * in order (r2…r4 as copies whose outcome was already reported), and r5 of dev-1, forwarded
     * meanwhile, is held until the retry is confirmed, while another device's record goes on.
     */
    @Test
    void aPartiallyFailedBatchDoesNotReorderTheRecordsOfAKey() {
        CompletableFuture<PutRecordsResponse> first = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        FakeKinesis kinesis =
                new FakeKinesis(request -> calls.getAndIncrement() == 0 ? first : allOk(request));
        try (KinesisForwarder forwarder = forwarder(kinesis, 1_000_000, 200)) {
            for (int i = 0; i < 5; i++) {
                forwarder.forward(envelope("sensors/dev-1/t", "r" + i), outcome());
            }
            forwarder.forward(envelope("sensors/dev-2/t", "x0"), outcome());
            Await.until(
                    Duration.ofSeconds(10), () -> kinesis.requests.size() == 1, kinesis::toString);

            forwarder.forward(envelope("sensors/dev-1/t", "r5"), outcome());
            forwarder.forward(envelope("sensors/dev-3/t", "y0"), outcome());
            Await.until(
                    Duration.ofSeconds(10), () -> kinesis.requests.size() == 2, kinesis::toString);
            assertThat(forwarded.get()).isZero();

            first.complete(failing(kinesis.requests.get(0), 1));
            Await.until(Duration.ofSeconds(10), () -> forwarded.get() == 8, kinesis::toString);
            Await.until(
                    Duration.ofSeconds(10), () -> kinesis.requests.size() == 4, kinesis::toString);
        }
        assertThat(kinesis.requests)
                .extracting(KinesisForwarderTest::payloads)
                .containsExactly(
                        List.of("r0", "r1", "r2", "r3", "r4", "x0"),
                        List.of("y0"),
                        List.of("r1", "r2", "r3", "r4"),
                        List.of("r5"));
        assertThat(forwarded.get()).isEqualTo(8);
        assertThat(metrics.failed()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ helpers

    private KinesisForwarder forwarder(FakeKinesis kinesis, int maxRecordBytes) {
        return forwarder(kinesis, maxRecordBytes, 10);
    }

    private KinesisForwarder forwarder(FakeKinesis kinesis, int maxRecordBytes, int lingerMs) {
        BridgeConfig.Kinesis config = new BridgeConfig.Kinesis();
        config.lingerMs = lingerMs;
        config.maxConcurrentRequests = 4;
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

    private static Envelope envelope(String topic, String payload) {
        return new Envelope(topic, payload.getBytes(StandardCharsets.UTF_8), 1_700_000_000_000L);
    }

    private static List<String> payloads(PutRecordsRequest request) {
        List<String> out = new ArrayList<>();
        for (PutRecordsRequestEntry entry : request.records()) {
            out.add(
                    new String(
                            EnvelopeCodec.tryDecode(entry.data().asByteArray()).getPayload(),
                            StandardCharsets.UTF_8));
        }
        return out;
    }

    /** All records of {@code request} written, except the one at {@code index} (throttled). */
    private static PutRecordsResponse failing(PutRecordsRequest request, int index) {
        List<PutRecordsResultEntry> results = new ArrayList<>();
        for (int i = 0; i < request.records().size(); i++) {
            results.add(
                    i == index
                            ? PutRecordsResultEntry.builder()
                                    .errorCode("ProvisionedThroughputExceededException")
                                    .errorMessage("Rate exceeded for shard")
                                    .build()
                            : PutRecordsResultEntry.builder().sequenceNumber("s" + i).build());
        }
        return PutRecordsResponse.builder().records(results).failedRecordCount(1).build();
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
