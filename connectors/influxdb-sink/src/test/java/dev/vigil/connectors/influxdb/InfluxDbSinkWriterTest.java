package dev.vigil.connectors.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.connectors.influxdb.internal.LineStateSerializer;
import dev.vigil.connectors.influxdb.testutils.FakeInfluxDbServer;
import dev.vigil.connectors.influxdb.testutils.TestWriterInitContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The writer without a job: a test mailbox/time service and a scripted fake InfluxDB. */
class InfluxDbSinkWriterTest {

    private FakeInfluxDbServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new FakeInfluxDbServer();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void sendsFullBatchesByCountWithPrecisionDatabaseAndBasicAuth() throws Exception {
        InfluxDbSinkWriter<String> writer = writer(sink(2));

        for (int i = 1; i <= 5; i++) {
            writer.write("m f=" + i + "i " + i, null);
        }
        writer.flush(true);

        List<FakeInfluxDbServer.Request> requests = server.requests();
        assertThat(requests.stream().map(r -> r.body).sorted())
                .containsExactly("m f=1i 1\nm f=2i 2\n", "m f=3i 3\nm f=4i 4\n", "m f=5i 5\n");
        assertThat(requests)
                .allSatisfy(
                        r -> {
                            assertThat(r.query).isEqualTo("precision=ms&db=my+db&rp=week");
                            assertThat(r.authorization)
                                    .isEqualTo("Basic " + base64("writer:pw-secret"));
                        });
        writer.close();
    }

    @Test
    void retriesServerErrorsUntilTheyHealThenDeliversOnce() throws Exception {
        server.thenRespond(503, "").thenRespond(500, "{\"error\":\"timeout\"}");
        InfluxDbSinkWriter<String> writer = writer(sink(2));

        writer.write("m f=1i 1", null);
        writer.write("m f=2i 2", null);
        writer.flush(true);

        assertThat(server.requests()).hasSize(3);
        assertThat(server.requests())
                .allSatisfy(r -> assertThat(r.body).isEqualTo("m f=1i 1\nm f=2i 2\n"));
        assertThat(writer.numWriteRetries()).isEqualTo(2);
        assertThat(writer.numPointsRejected()).isZero();
        writer.close();
    }

    @Test
    void countsAndDropsBadPointsWithoutRetrying() throws Exception {
        server.thenRespond(
                400,
                "{\"error\":\"partial write: invalid field name: input field \\\"time\\\" on"
                        + " measurement \\\"m\\\" is invalid dropped=1\"}");
        InfluxDbSinkWriter<String> writer = writer(sink(2));

        writer.write("m f=1i 1", null);
        writer.write("m time=2i 2", null);
        writer.flush(true);

        assertThat(server.requests()).hasSize(1);
        assertThat(writer.numPointsRejected()).isEqualTo(1);
        assertThat(writer.numWriteRetries()).isZero();
        writer.close();
    }

    @Test
    void failsOnAuthenticationErrorWithAClearMessageAndNoPassword() throws Exception {
        server.thenRespond(401, "{\"error\":\"authorization failed\"}");
        InfluxDbSinkWriter<String> writer = writer(sink(1));

        assertThatThrownBy(
                        () -> {
                            writer.write("m f=1i 1", null);
                            writer.flush(true);
                        })
                .satisfies(
                        e ->
                                assertThat(rootMessage(e))
                                        .isEqualTo(
                                                "authentication failed for user writer on "
                                                        + server.url()
                                                        + ": check INFLUX_USERNAME/INFLUX_PASSWORD"))
                .satisfies(e -> assertThat(allMessages(e)).doesNotContain("pw-secret"));
    }

    @Test
    void skipsAndCountsElementsThatEncodeToEmptyLines() throws Exception {
        InfluxDbSinkWriter<String> writer = writer(sink(3));

        writer.write("m f=1i 1", null);
        writer.write("", null);
        writer.write("m f=3i 3", null);
        writer.flush(true);

        assertThat(server.requests())
                .extracting(r -> r.body)
                .containsExactly("m f=1i 1\nm f=3i 3\n");
        assertThat(writer.numEmptyLinesSkipped()).isEqualTo(1);
        writer.close();
    }

    @Test
    void checkpointKeepsBufferedLinesAndARestoredWriterSendsThem() throws Exception {
        InfluxDbSink<String> sink = sink(10);
        InfluxDbSinkWriter<String> writer = writer(sink);
        writer.write("m s=\"é🙂\" 1", null);
        writer.write("m f=2i 2", null);

        writer.flush(false); // what the operator does before a checkpoint barrier
        List<BufferedRequestState<String>> state = writer.snapshotState(1);
        writer.close();

        LineStateSerializer serializer = new LineStateSerializer();
        BufferedRequestState<String> restored =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(state.get(0)));
        assertThat(
                        restored.getBufferedRequestEntries().stream()
                                .map(RequestEntryWrapper::getRequestEntry)
                                .collect(Collectors.toList()))
                .containsExactly("m s=\"é🙂\" 1", "m f=2i 2");
        assertThat(server.requests()).isEmpty();

        InfluxDbSinkWriter<String> restoredWriter =
                (InfluxDbSinkWriter<String>)
                        sink.restoreWriter(new TestWriterInitContext(), List.of(restored));
        restoredWriter.flush(true);
        assertThat(server.requests())
                .extracting(r -> r.body)
                .containsExactly("m s=\"é🙂\" 1\nm f=2i 2\n");
        restoredWriter.close();
    }

    private InfluxDbSink<String> sink(int batchSize) {
        return InfluxDbSink.<String>builder()
                .setUrl(server.url())
                .setDatabase("my db")
                .setRetentionPolicy("week")
                .setCredentials("writer", "pw-secret")
                .setElementConverter((line, context) -> line)
                .setMaxBatchSize(batchSize)
                .setMaxBufferedRequests(100)
                .setRetryBackoff(Duration.ofMillis(5), Duration.ofMillis(20))
                .build();
    }

    @SuppressWarnings("unchecked")
    private static InfluxDbSinkWriter<String> writer(InfluxDbSink<String> sink) throws Exception {
        return (InfluxDbSinkWriter<String>) sink.createWriter(new TestWriterInitContext());
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String rootMessage(Throwable t) {
        Throwable current = t;
        while (current.getCause() != null && current.getCause() != current) {
            current = current.getCause();
        }
        return current.getMessage();
    }

    private static String allMessages(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c).append('\n');
        }
        return s.toString();
    }
}
