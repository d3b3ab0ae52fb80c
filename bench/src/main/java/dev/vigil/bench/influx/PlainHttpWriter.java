package dev.vigil.bench.influx;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

/**
 * The baseline: the same lines POSTed to {@code /write?precision=ms} in batches with {@code
 * java.net.http.HttpClient} (HTTP/1.1 keep-alive), at most {@code concurrency} requests in flight;
 * the next body is built while requests are in flight. No retries: any status but 204 fails.
 */
final class PlainHttpWriter {

    private final HttpClient client =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
    private final URI writeUri;
    private final int batchSize;
    private final int concurrency;

    PlainHttpWriter(String url, String database, int batchSize, int concurrency) {
        this.writeUri = URI.create(url + "/write?precision=ms&db=" + database);
        this.batchSize = batchSize;
        this.concurrency = concurrency;
    }

    /** Writes lines 0 … n−1 of the corpus; returns when every request has been answered. */
    void write(LineCorpus corpus, long n) throws Exception {
        Semaphore inFlight = new Semaphore(concurrency);
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (long from = 0; from < n; from += batchSize) {
            byte[] body = body(corpus, from, Math.min(n, from + batchSize));
            inFlight.acquire();
            HttpRequest request =
                    HttpRequest.newBuilder(writeUri)
                            .timeout(Duration.ofSeconds(60))
                            .header("Content-Type", "text/plain; charset=utf-8")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build();
            pending.add(
                    client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                            .thenAccept(PlainHttpWriter::check)
                            .whenComplete((ok, error) -> inFlight.release()));
        }
        CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).get();
    }

    private static byte[] body(LineCorpus corpus, long from, long to) {
        StringBuilder sb = new StringBuilder((int) (to - from) * 200);
        for (long i = from; i < to; i++) {
            sb.append(corpus.line(i)).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void check(HttpResponse<String> response) {
        if (response.statusCode() != 204) {
            throw new IllegalStateException(
                    "write answered " + response.statusCode() + ": " + response.body());
        }
    }
}
