package dev.vigil.bridge;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes the bridge's metrics to InfluxDB every few seconds ({@code metrics.influxdb-url}), so the
 * "Pipeline health" dashboard shows the bridge without a Prometheus scraper. Best effort: a failed
 * push is logged (once per outage) and never affects forwarding.
 */
final class InfluxMetricsPush implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(InfluxMetricsPush.class);

    private final BridgeMetrics metrics;
    private final String bridge;
    private final URI writeUri;
    private final String authorization;
    private final LongSupplier clock;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "bridge-metrics-push");
                        t.setDaemon(true);
                        return t;
                    });
    private boolean failing;

    InfluxMetricsPush(
            BridgeMetrics metrics,
            String bridge,
            String url,
            String database,
            String username,
            String password,
            LongSupplier clock) {
        this.metrics = metrics;
        this.bridge = bridge;
        this.writeUri =
                URI.create(
                        url.replaceAll("/+$", "")
                                + "/write?precision=ms&db="
                                + URLEncoder.encode(database, StandardCharsets.UTF_8));
        this.authorization =
                username == null || username.isEmpty()
                        ? null
                        : "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                (username + ":" + password)
                                                        .getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    /** Starts pushing every {@code intervalSeconds}. */
    static InfluxMetricsPush start(
            BridgeMetrics metrics, String bridge, BridgeConfig.Metrics config) {
        InfluxMetricsPush push =
                new InfluxMetricsPush(
                        metrics,
                        bridge,
                        config.influxdbUrl,
                        config.influxdbDatabase,
                        System.getenv("INFLUX_USERNAME"),
                        System.getenv("INFLUX_PASSWORD"),
                        System::currentTimeMillis);
        int interval = Math.max(1, config.influxdbIntervalSeconds);
        push.timer.scheduleWithFixedDelay(push::pushQuietly, interval, interval, TimeUnit.SECONDS);
        return push;
    }

    /** One push; returns the HTTP status (204 on success). */
    int push() throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(writeUri)
                        .timeout(Duration.ofSeconds(10))
                        .POST(
                                HttpRequest.BodyPublishers.ofString(
                                        metrics.lineProtocol(bridge, clock.getAsLong())));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private void pushQuietly() {
        try {
            int status = push();
            if (status / 100 != 2) {
                warnOnce(
                        "InfluxDB answered HTTP "
                                + status
                                + " (check metrics.influxdb-database and credentials)");
            } else if (failing) {
                failing = false;
                LOG.info("Metrics push to {} works again", writeUri.getHost());
            }
        } catch (Exception e) {
            warnOnce(e.toString());
        }
    }

    private void warnOnce(String problem) {
        if (!failing) {
            failing = true;
            LOG.warn(
                    "Cannot push metrics to InfluxDB at {}: {}; retrying quietly",
                    writeUri.getHost(),
                    problem);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
