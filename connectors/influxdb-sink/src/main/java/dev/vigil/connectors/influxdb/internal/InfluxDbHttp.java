package dev.vigil.connectors.influxdb.internal;

import dev.vigil.connectors.influxdb.InfluxDbConnectionConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;

/**
 * The HTTP side of the sink: one keep-alive {@link HttpClient} (HTTP/1.1, async) per writer,
 * requests for {@code /write} and {@code /query} of the InfluxDB 1.x API, basic authentication.
 */
public final class InfluxDbHttp {

    private final InfluxDbConnectionConfig config;
    private final HttpClient client;
    private final String authorization;
    private final WriteResponseClassifier classifier;
    private final URI writeUri;

    public InfluxDbHttp(InfluxDbConnectionConfig config) {
        this.config = config;
        this.client =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(config.getRequestTimeout())
                        .build();
        this.authorization = basicAuthorization(config);
        this.classifier =
                new WriteResponseClassifier(
                        config.getUrl().toString(),
                        config.getDatabase(),
                        config.getRetentionPolicy(),
                        config.getUsername());
        this.writeUri = config.getDatabase() == null ? null : writeUri(config);
    }

    public WriteResponseClassifier classifier() {
        return classifier;
    }

    /** Posts the lines (joined by newlines) to {@code /write}; never completes exceptionally. */
    public CompletableFuture<WriteOutcome> write(List<String> lines) {
        byte[] body = encodeBody(lines, config.isGzip());
        HttpRequest.Builder request =
                HttpRequest.newBuilder(writeUri)
                        .timeout(config.getRequestTimeout())
                        .header("Content-Type", "text/plain; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (config.isGzip()) {
            request.header("Content-Encoding", "gzip");
        }
        authorize(request);
        try {
            return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .handle(
                            (response, failure) ->
                                    failure != null
                                            ? classifier.classify(failure)
                                            : classifier.classify(
                                                    response.statusCode(),
                                                    response.body(),
                                                    lines.size()));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(classifier.classify(e));
        }
    }

    /** Runs an InfluxQL statement through {@code /query} (POST), returning status and body. */
    public HttpResponse<String> query(String database, String influxql, boolean post)
            throws IOException, InterruptedException {
        String params =
                "q=" + urlEncode(influxql) + (database == null ? "" : "&db=" + urlEncode(database));
        HttpRequest.Builder request =
                post
                        ? HttpRequest.newBuilder(endpoint(config, "/query"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(params))
                        : HttpRequest.newBuilder(endpoint(config, "/query?" + params)).GET();
        request.timeout(config.getRequestTimeout());
        authorize(request);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /ping}: true when the server answers 204. */
    public boolean ping() {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(endpoint(config, "/ping"))
                            .timeout(config.getRequestTimeout())
                            .GET()
                            .build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 204;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static byte[] encodeBody(List<String> lines, boolean gzip) {
        StringBuilder body = new StringBuilder(lines.size() * 64);
        for (String line : lines) {
            body.append(line).append('\n');
        }
        byte[] plain = body.toString().getBytes(StandardCharsets.UTF_8);
        return gzip ? gzip(plain) : plain;
    }

    private static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.length / 4 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out)) {
            zip.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private void authorize(HttpRequest.Builder request) {
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
    }

    private static String basicAuthorization(InfluxDbConnectionConfig config) {
        if (!config.hasCredentials()) {
            return null;
        }
        String password = config.getPassword() == null ? "" : config.getPassword();
        String token = config.getUsername() + ":" + password;
        return "Basic "
                + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }

    private static URI writeUri(InfluxDbConnectionConfig config) {
        StringBuilder query =
                new StringBuilder("/write?precision=ms&db=")
                        .append(urlEncode(config.getDatabase()));
        if (config.getRetentionPolicy() != null) {
            query.append("&rp=").append(urlEncode(config.getRetentionPolicy()));
        }
        return endpoint(config, query.toString());
    }

    private static URI endpoint(InfluxDbConnectionConfig config, String pathAndQuery) {
        return URI.create(config.getUrl().toString() + pathAndQuery);
    }

    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
