package dev.vigil.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bridge's metrics pushed as line protocol, named as the Pipeline-health dashboard reads them.
 */
class InfluxMetricsPushTest {

    private HttpServer server;
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startFakeInflux() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/write",
                exchange -> {
                    requests.add(
                            exchange.getRequestURI()
                                    + "\n"
                                    + exchange.getRequestHeaders().getFirst("Authorization")
                                    + "\n"
                                    + new String(
                                            exchange.getRequestBody().readAllBytes(),
                                            StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void pushesCountersAndGaugesAsLineProtocol() throws Exception {
        BridgeMetrics metrics = new BridgeMetrics(100);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
        try (InfluxMetricsPush push =
                new InfluxMetricsPush(
                        metrics, "bridge 1", url, "vigil", "u", "p", () -> 1_700_000_000_000L)) {
            assertThat(push.push()).isEqualTo(204);
        }

        assertThat(requests).hasSize(1);
        String[] request = requests.get(0).split("\n", 3);
        assertThat(request[0]).isEqualTo("/write?precision=ms&db=vigil");
        assertThat(request[1]).isEqualTo("Basic dTpw"); // u:p
        assertThat(request[2])
                .contains("vigil_bridge_received_total,bridge=bridge\\ 1 counter=0 1700000000000\n")
                .contains(
                        "vigil_bridge_forwarded_total,bridge=bridge\\ 1 counter=0 1700000000000\n")
                .contains(
                        "vigil_bridge_dead_lettered_total,bridge=bridge\\ 1 counter=0 1700000000000\n")
                .contains("vigil_bridge_in_flight,bridge=bridge\\ 1 gauge=0 1700000000000\n");
        assertThat(request[2].lines()).hasSize(9);
    }

    @Test
    void tagValuesAreEscaped() {
        assertThat(BridgeMetrics.escapeTag("a,b=c d\ne")).isEqualTo("a\\,b\\=c\\ d_e");
    }
}
