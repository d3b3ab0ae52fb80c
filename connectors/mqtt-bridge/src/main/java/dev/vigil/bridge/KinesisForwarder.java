package dev.vigil.bridge;

import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;
import software.amazon.awssdk.services.kinesis.model.DescribeStreamSummaryResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequest;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * Sends envelopes to a Kinesis stream with {@code PutRecords}, at least once: a sender thread
 * gathers what the bridge forwards into batches (≤ 500 records, ≤ 5 MiB, one stream each, at most
 * {@code kinesis.linger-ms} of waiting), with {@code kinesis.max-concurrent-requests} requests in
 * flight. Each record's outcome is reported once Kinesis confirmed it. A failed request (throttled,
 * unreachable, …) is retried whole; of a partially failed batch only the failed entries are sent
 * again, with backoff, until they succeed. The partition key is the device ({@link
 * EnvelopeCodec#partitionKey}), so one shard keeps a device's messages together. A message too
 * large for a record goes, truncated, to the dead-letter stream.
 */
final class KinesisForwarder implements Forwarder {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisForwarder.class);

    static final int MAX_BATCH_RECORDS = 500;
    static final int MAX_BATCH_BYTES = 5 * 1024 * 1024;
    private static final long MAX_BACKOFF_MS = 5_000;

    /** One record on its way, with the outcome to report. */
    static final class Entry {
        final String stream;
        final String partitionKey;
        final SdkBytes data;
        final boolean deadLetter;
        final Outcome outcome;
        int attempt;

        Entry(
                String stream,
                String partitionKey,
                byte[] data,
                boolean deadLetter,
                Outcome outcome) {
            this.stream = stream;
            this.partitionKey = partitionKey;
            this.data = SdkBytes.fromByteArrayUnsafe(data);
            this.deadLetter = deadLetter;
            this.outcome = outcome;
        }

        /** What counts against the 5 MiB of a request (Kinesis counts key + data). */
        int size() {
            return partitionKey.length() + data.asByteArrayUnsafe().length;
        }

        PutRecordsRequestEntry toRequestEntry() {
            return PutRecordsRequestEntry.builder().partitionKey(partitionKey).data(data).build();
        }
    }

    /** The calls made to Kinesis (a seam for tests). */
    interface Client extends AutoCloseable {
        CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request);

        CompletableFuture<DescribeStreamSummaryResponse> describe(String stream);

        @Override
        void close();
    }

    private final BridgeConfig.Kinesis config;
    private final Client client;
    private final ScheduledExecutorService retries;
    private final BridgeMetrics metrics;
    private final LinkedBlockingQueue<Entry> queue = new LinkedBlockingQueue<>();
    private final Semaphore requests;
    private final Thread sender;
    private volatile boolean closing;
    private volatile boolean stopped;
    private Entry carried;

    KinesisForwarder(
            BridgeConfig.Kinesis config,
            Client client,
            ScheduledExecutorService retries,
            BridgeMetrics metrics) {
        this.config = config;
        this.client = client;
        this.retries = retries;
        this.metrics = metrics;
        this.requests = new Semaphore(config.maxConcurrentRequests);
        this.sender = new Thread(this::sendLoop, "bridge-kinesis-sender");
        sender.setDaemon(true);
        sender.start();
    }

    /** An SDK v2 async client: default credential chain, HTTP/1.1, endpoint override if set. */
    static Client createClient(BridgeConfig.Kinesis config) {
        KinesisAsyncClientBuilder builder =
                KinesisAsyncClient.builder()
                        .region(Region.of(config.region))
                        .credentialsProvider(DefaultCredentialsProvider.builder().build())
                        .httpClientBuilder(
                                NettyNioAsyncHttpClient.builder()
                                        .protocol(Protocol.HTTP1_1)
                                        .maxConcurrency(config.maxConcurrentRequests + 2));
        if (config.endpoint != null) {
            builder.endpointOverride(URI.create(config.endpoint));
        }
        KinesisAsyncClient kinesis = builder.build();
        return new Client() {
            @Override
            public CompletableFuture<PutRecordsResponse> putRecords(PutRecordsRequest request) {
                return kinesis.putRecords(request);
            }

            @Override
            public CompletableFuture<DescribeStreamSummaryResponse> describe(String stream) {
                return kinesis.describeStreamSummary(b -> b.streamName(stream));
            }

            @Override
            public void close() {
                kinesis.close();
            }
        };
    }

    /**
     * Checks that both streams exist, waiting (up to the startup timeout) until they are active.
     */
    @Override
    public void prepare() {
        long deadline = System.nanoTime() + config.startupTimeoutMs * 1_000_000L;
        for (String stream : List.of(config.stream, config.deadLetterStream)) {
            awaitActive(stream, deadline);
        }
    }

    private void awaitActive(String stream, long deadline) {
        while (true) {
            StreamStatus status = describe(stream, deadline);
            if (status == StreamStatus.ACTIVE || status == StreamStatus.UPDATING) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new BridgeException(
                        "Kinesis stream "
                                + stream
                                + " is "
                                + status
                                + ", not ACTIVE, after "
                                + config.startupTimeoutMs
                                + " ms. Wait until it is, then start the bridge again.");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private StreamStatus describe(String stream, long deadline) {
        long waitMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
        try {
            return client.describe(stream)
                    .get(waitMs, TimeUnit.MILLISECONDS)
                    .streamDescriptionSummary()
                    .streamStatus();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ResourceNotFoundException) {
                throw new BridgeException(
                        "Kinesis stream "
                                + stream
                                + " does not exist at "
                                + where()
                                + ". Create it (aws kinesis create-stream --stream-name "
                                + stream
                                + " --shard-count 2), or for the local emulator start it with"
                                + " KINESIS_STREAMS="
                                + stream
                                + ":2 scripts/services/kinesis.sh start.",
                        e);
            }
            throw unreachable(e);
        } catch (TimeoutException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BridgeException("Interrupted while connecting to Kinesis", e);
        }
    }

    private BridgeException unreachable(Exception e) {
        return new BridgeException(
                "Kinesis at "
                        + where()
                        + " did not answer within "
                        + config.startupTimeoutMs
                        + " ms ("
                        + KafkaForwarder.rootMessage(e)
                        + "). Check kinesis.endpoint / kinesis.region and the AWS credentials (default"
                        + " provider chain: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, ~/.aws, instance"
                        + " role); for a local emulator: scripts/services/kinesis.sh start.",
                e);
    }

    private String where() {
        return config.endpoint == null ? "region " + config.region : config.endpoint;
    }

    @Override
    public void forward(Envelope envelope, Outcome outcome) {
        String key = partitionKey(envelope.getTopic());
        byte[] topicBytes = envelope.getTopic().getBytes(StandardCharsets.UTF_8);
        int size =
                EnvelopeCodec.encodedSize(topicBytes.length, envelope.getPayload().length)
                        + key.length();
        if (size > config.maxRecordBytes) {
            deadLetter(
                    envelope,
                    "RECORD_TOO_LARGE: "
                            + size
                            + " bytes, more than kinesis.max-record-bytes = "
                            + config.maxRecordBytes,
                    outcome);
            return;
        }
        queue.add(new Entry(config.stream, key, EnvelopeCodec.encode(envelope), false, outcome));
    }

    /**
     * The envelope, its payload cut to {@code kinesis.dead-letter-payload-bytes}; logs the reason.
     */
    @Override
    public void deadLetter(Envelope envelope, String reason, Outcome outcome) {
        LOG.warn(
                "Message on {} goes to the dead-letter stream {}: {}",
                envelope.getTopic(),
                config.deadLetterStream,
                reason);
        byte[] payload = envelope.getPayload();
        byte[] kept =
                Arrays.copyOf(payload, Math.min(payload.length, config.deadLetterPayloadBytes));
        queue.add(
                new Entry(
                        config.deadLetterStream,
                        partitionKey(envelope.getTopic()),
                        EnvelopeCodec.encode(
                                new Envelope(envelope.getTopic(), kept, envelope.getReceivedAt())),
                        true,
                        outcome));
    }

    /** The device ({@link EnvelopeCodec#partitionKey}), as Kinesis wants it: 1 to 256 chars. */
    static String partitionKey(String topic) {
        String key = EnvelopeCodec.partitionKey(topic);
        if (key.isEmpty()) {
            return "-";
        }
        return key.length() <= 256 ? key : key.substring(0, 256);
    }

    // ------------------------------------------------------------------ sender thread

    private void sendLoop() {
        try {
            while (!stopped) {
                List<Entry> batch = nextBatch();
                if (!batch.isEmpty()) {
                    requests.acquire();
                    send(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Up to 500 entries / 5 MiB of one stream, waiting at most linger-ms for more. */
    List<Entry> nextBatch() throws InterruptedException {
        Entry first = carried != null ? carried : queue.poll(100, TimeUnit.MILLISECONDS);
        carried = null;
        List<Entry> batch = new ArrayList<>();
        if (first == null) {
            return batch;
        }
        batch.add(first);
        int bytes = first.size();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.lingerMs);
        while (batch.size() < MAX_BATCH_RECORDS) {
            Entry next =
                    queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                break;
            }
            if (!next.stream.equals(first.stream) || bytes + next.size() > MAX_BATCH_BYTES) {
                carried = next;
                break;
            }
            batch.add(next);
            bytes += next.size();
        }
        return batch;
    }

    private void send(List<Entry> batch) {
        PutRecordsRequest request =
                PutRecordsRequest.builder()
                        .streamName(batch.get(0).stream)
                        .records(batch.stream().map(Entry::toRequestEntry).toList())
                        .build();
        CompletableFuture<PutRecordsResponse> response;
        try {
            response = client.putRecords(request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        response.whenComplete(
                (result, error) -> {
                    requests.release();
                    if (error != null) {
                        onRequestFailed(batch, error);
                    } else {
                        onResponse(batch, result);
                    }
                });
    }

    /** Completes the confirmed entries; sends the failed ones again. */
    void onResponse(List<Entry> batch, PutRecordsResponse response) {
        List<PutRecordsResultEntry> results = response.records();
        List<Entry> failed = new ArrayList<>();
        String firstError = null;
        for (int i = 0; i < batch.size(); i++) {
            PutRecordsResultEntry result = i < results.size() ? results.get(i) : null;
            if (result != null && result.errorCode() == null) {
                complete(batch.get(i));
            } else {
                failed.add(batch.get(i));
                if (firstError == null) {
                    firstError =
                            result == null
                                    ? "no result"
                                    : result.errorCode() + ": " + result.errorMessage();
                }
            }
        }
        if (!failed.isEmpty()) {
            metrics.failed.add(failed.size());
            logRetry(failed.size() + " of " + batch.size() + " records", failed, firstError);
            retryLater(failed);
        }
    }

    private void onRequestFailed(List<Entry> batch, Throwable error) {
        metrics.failed.add(batch.size());
        logRetry("a batch of " + batch.size(), batch, KafkaForwarder.rootMessage(error));
        retryLater(batch);
    }

    private static void complete(Entry entry) {
        if (entry.deadLetter) {
            entry.outcome.deadLettered();
        } else {
            entry.outcome.forwarded();
        }
    }

    private void retryLater(List<Entry> entries) {
        if (closing || retries.isShutdown()) {
            LOG.warn(
                    "Stopping with {} message(s) unconfirmed by Kinesis; the broker redelivers them",
                    entries.size());
            return;
        }
        int attempt = 0;
        for (Entry entry : entries) {
            attempt = Math.max(attempt, entry.attempt++);
        }
        metrics.retried.add(entries.size());
        long delay = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 6));
        try {
            retries.schedule(() -> queue.addAll(entries), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("Stopping with messages unconfirmed by Kinesis; the broker redelivers them");
        }
    }

    private static void logRetry(String what, List<Entry> entries, String error) {
        int attempt = entries.get(0).attempt;
        if (attempt == 0 || attempt % 20 == 0) {
            LOG.warn(
                    "Kinesis did not take {} (attempt {}): {}. Retrying those; MQTT"
                            + " acknowledgements are held until they succeed.",
                    what,
                    attempt + 1,
                    error);
        }
    }

    /** Nothing to do: the sender thread sends continuously (the bridge waits for outcomes). */
    @Override
    public void flush() {}

    @Override
    public void stopRetrying() {
        closing = true;
    }

    @Override
    public void close() {
        closing = true;
        stopped = true;
        sender.interrupt();
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
