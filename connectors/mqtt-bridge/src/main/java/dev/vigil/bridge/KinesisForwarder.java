package dev.vigil.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.common.codec.EnvelopeCodec;
import dev.vigil.common.model.Envelope;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * unreachable, …) is retried whole, with backoff, until it succeeds. The partition key is the
 * device ({@link EnvelopeCodec#partitionKey}), so one shard keeps a device's messages together, and
 * their order is kept: a key is in one request at a time ({@link PartitionKeyOrder}), and of a
 * partially failed batch each failed key is sent again from its first failed record on ({@link
 * #onResponse}). A message too large for a record goes, truncated, to the dead-letter stream as a
 * JSON document with the reason ({@link #deadLetterRecord}).
 */
final class KinesisForwarder implements Forwarder {

    private static final Logger LOG = LoggerFactory.getLogger(KinesisForwarder.class);

    static final int MAX_BATCH_RECORDS = 500;
    static final int MAX_BATCH_BYTES = 5 * 1024 * 1024;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One record on its way, with the outcome to report. */
    static final class Entry {
        final String stream;
        final String partitionKey;
        final SdkBytes data;
        final boolean deadLetter;
        final Outcome outcome;

        /** A copy re-sent only to restore the order of its key; its outcome was reported. */
        final boolean orderCopy;

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
            this.orderCopy = false;
        }

        private Entry(Entry original) {
            this.stream = original.stream;
            this.partitionKey = original.partitionKey;
            this.data = original.data;
            this.deadLetter = original.deadLetter;
            this.outcome = original.outcome;
            this.orderCopy = true;
            this.attempt = original.attempt;
        }

        /** Stream and partition key: the unit whose order is kept. */
        String orderKey() {
            return stream + '\n' + partitionKey;
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
    private final PartitionKeyOrder<Entry> order = new PartitionKeyOrder<>();
    private final ConcurrentLinkedQueue<List<Entry>> retryBatches = new ConcurrentLinkedQueue<>();
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
     * Publishes a dead letter ({@link #deadLetterRecord}) to {@code kinesis.dead-letter-stream};
     * logs the reason.
     */
    @Override
    public void deadLetter(Envelope envelope, String reason, Outcome outcome) {
        LOG.warn(
                "Message on {} goes to the dead-letter stream {}: {}",
                envelope.getTopic(),
                config.deadLetterStream,
                reason);
        queue.add(
                new Entry(
                        config.deadLetterStream,
                        partitionKey(envelope.getTopic()),
                        deadLetterRecord(envelope, reason, config.deadLetterPayloadBytes),
                        true,
                        outcome));
    }

    /**
     * A dead letter: a JSON document with the reason (Kinesis records have no headers, unlike the
     * Kafka dead letters), the MQTT topic, the payload's size, the receive time and the first
     * {@code keptBytes} of the payload (base64).
     */
    static byte[] deadLetterRecord(Envelope envelope, String reason, int keptBytes) {
        byte[] payload = envelope.getPayload();
        ObjectNode json = JSON.createObjectNode();
        json.put("reason", reason);
        json.put("topic", envelope.getTopic());
        json.put("payloadBytes", payload.length);
        json.put("receivedAt", envelope.getReceivedAt());
        json.put(
                "payloadBase64",
                Base64.getEncoder()
                        .encodeToString(
                                Arrays.copyOf(payload, Math.min(payload.length, keptBytes))));
        return json.toString().getBytes(StandardCharsets.UTF_8);
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
                List<Entry> batch = retryBatches.poll();
                if (batch == null) {
                    batch = nextBatch();
                }
                if (!batch.isEmpty()) {
                    requests.acquire();
                    send(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Up to 500 entries / 5 MiB of one stream, waiting at most linger-ms for more: first the held
     * entries of keys whose earlier request was confirmed, then new ones. An entry whose key is in
     * an unconfirmed request is held back ({@link PartitionKeyOrder}).
     */
    List<Entry> nextBatch() throws InterruptedException {
        Batch batch = new Batch();
        order.drainReleased(batch::tryAdd, batch.keys);
        long lingerNanos = TimeUnit.MILLISECONDS.toNanos(config.lingerMs);
        long deadline = System.nanoTime() + lingerNanos;
        while (batch.entries.size() < MAX_BATCH_RECORDS) {
            Entry next = carried;
            carried = null;
            if (next == null && batch.entries.isEmpty()) {
                next = queue.poll(100, TimeUnit.MILLISECONDS);
                deadline = System.nanoTime() + lingerNanos; // linger from the first entry
            } else if (next == null) {
                next = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
            if (next == null) {
                break;
            }
            if (!batch.fits(next)) {
                carried = next;
                break;
            }
            if (order.admit(next.orderKey(), next, batch.keys)) {
                batch.add(next);
            }
        }
        return batch.entries;
    }

    /** A request being built. */
    private static final class Batch {
        final List<Entry> entries = new ArrayList<>();
        final Set<String> keys = new LinkedHashSet<>();
        int bytes;

        boolean fits(Entry entry) {
            return entries.isEmpty()
                    || (entries.size() < MAX_BATCH_RECORDS
                            && entry.stream.equals(entries.get(0).stream)
                            && bytes + entry.size() <= MAX_BATCH_BYTES);
        }

        void add(Entry entry) {
            entries.add(entry);
            bytes += entry.size();
        }

        boolean tryAdd(Entry entry) {
            if (!fits(entry)) {
                return false;
            }
            add(entry);
            return true;
        }
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

    /**
     * Completes the confirmed entries; sends the failed ones again. Kinesis goes on after a failed
     * record, so a later record of the same key may have been written before it: from a key's first
     * failed record on, every record of that key in the batch is sent again, in order (the
     * confirmed ones as {@link Entry#orderCopy}, reported once), so the key's last writes are in
     * order. Keys without failures are released for their held records.
     */
    void onResponse(List<Entry> batch, PutRecordsResponse response) {
        List<PutRecordsResultEntry> results = response.records();
        List<Entry> again = new ArrayList<>();
        Set<String> failedKeys = new LinkedHashSet<>();
        Set<String> confirmedKeys = new LinkedHashSet<>();
        int failed = 0;
        String firstError = null;
        for (int i = 0; i < batch.size(); i++) {
            Entry entry = batch.get(i);
            PutRecordsResultEntry result = i < results.size() ? results.get(i) : null;
            if (result != null && result.errorCode() == null) {
                complete(entry);
                confirmedKeys.add(entry.orderKey());
                if (failedKeys.contains(entry.orderKey())) {
                    again.add(entry.orderCopy ? entry : new Entry(entry));
                }
            } else {
                failed++;
                failedKeys.add(entry.orderKey());
                again.add(entry);
                if (firstError == null) {
                    firstError =
                            result == null
                                    ? "no result"
                                    : result.errorCode() + ": " + result.errorMessage();
                }
            }
        }
        confirmedKeys.removeAll(failedKeys);
        order.finished(confirmedKeys);
        if (!again.isEmpty()) {
            metrics.failed.add(failed);
            logRetry(failed + " of " + batch.size() + " records", again, firstError);
            retryLater(again);
        }
    }

    private void onRequestFailed(List<Entry> batch, Throwable error) {
        metrics.failed.add(batch.size());
        logRetry("a batch of " + batch.size(), batch, KafkaForwarder.rootMessage(error));
        retryLater(batch);
    }

    private static void complete(Entry entry) {
        if (entry.orderCopy) {
            return;
        }
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
            // sent as a request of its own: the keys stay outstanding until it is confirmed
            retries.schedule(() -> retryBatches.add(entries), delay, TimeUnit.MILLISECONDS);
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
