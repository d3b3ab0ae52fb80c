package dev.vigil.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.pipeline.sink.InfluxSchema;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls InfluxDB every {@code intervalMs} for SPIKE rows of {@value InfluxSchema#ANOMALIES} at or
 * after the earliest spike not yet found, and records the {@link SpikeLedger.Stage#VISIBLE}
 * sighting of each (matched on tags {@code device}, {@code field} and time = the spike's payload
 * timestamp).
 */
final class AnomalyPoller implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyPoller.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String url;
    private final String database;
    private final SpikeLedger ledger;
    private final long intervalNanos;
    private final Thread thread;
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong queryNanos = new AtomicLong();
    private volatile boolean running = true;

    AnomalyPoller(String url, String database, SpikeLedger ledger, long intervalMs) {
        this.url = url;
        this.database = database;
        this.ledger = ledger;
        this.intervalNanos = intervalMs * 1_000_000L;
        this.thread = new Thread(this::loop, "e2e-influx-poller");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static String query(long sinceMs) {
        return "SELECT \"score\",\"device\",\"field\" FROM \""
                + InfluxSchema.ANOMALIES
                + "\" WHERE \"kind\"='spike' AND time >= "
                + sinceMs
                + "ms";
    }

    private void loop() {
        while (running) {
            long started = System.nanoTime();
            long since = ledger.earliestUnseenMs(SpikeLedger.Stage.VISIBLE);
            if (since >= 0) {
                pollOnce(since);
                queries.incrementAndGet();
                queryNanos.addAndGet(System.nanoTime() - started);
            }
            long next = started + intervalNanos;
            long now = System.nanoTime();
            if (next > now) {
                LockSupport.parkNanos(next - now);
            }
        }
    }

    private void pollOnce(long sinceMs) {
        try {
            String uri =
                    url
                            + "/query?epoch=ms&db="
                            + URLEncoder.encode(database, StandardCharsets.UTF_8)
                            + "&q="
                            + URLEncoder.encode(query(sinceMs), StandardCharsets.UTF_8);
            HttpResponse<String> response =
                    http.send(
                            HttpRequest.newBuilder(URI.create(uri))
                                    .timeout(Duration.ofSeconds(5))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime();
            if (response.statusCode() != 200) {
                LOG.warn("InfluxDB query failed: {} {}", response.statusCode(), response.body());
                return;
            }
            matchRows(JSON.readTree(response.body()), ledger, nanos);
        } catch (Exception e) {
            LOG.warn("InfluxDB query failed: {}", e.toString());
        }
    }

    /** Records every row (time, score, device, field) of the result; returns the rows matched. */
    static int matchRows(JsonNode result, SpikeLedger ledger, long nanos) {
        int matched = 0;
        for (JsonNode series : result.path("results").path(0).path("series")) {
            for (JsonNode row : series.path("values")) {
                if (ledger.seen(
                        SpikeLedger.Stage.VISIBLE,
                        row.path(2).asText(),
                        row.path(3).asText(),
                        row.path(0).asLong(),
                        nanos)) {
                    matched++;
                }
            }
        }
        return matched;
    }

    long queries() {
        return queries.get();
    }

    /** Mean time of one query round trip. */
    double meanQueryMs() {
        long n = queries.get();
        return n == 0 ? 0 : queryNanos.get() / 1e6 / n;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }
}
