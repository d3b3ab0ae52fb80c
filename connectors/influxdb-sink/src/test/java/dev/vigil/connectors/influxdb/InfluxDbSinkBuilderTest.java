package dev.vigil.connectors.influxdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.junit.jupiter.api.Test;

class InfluxDbSinkBuilderTest {

    private static final ElementConverter<Long, String> CONVERTER = (value, context) -> "m f=1i";

    @Test
    void buildsWithDefaults() {
        InfluxDbSink<Long> sink =
                InfluxDbSink.<Long>builder()
                        .setUrl("http://127.0.0.1:8086/")
                        .setDatabase("vigil")
                        .setElementConverter(CONVERTER)
                        .build();

        assertThat(sink.getConnection().getUrl().toString()).isEqualTo("http://127.0.0.1:8086");
        AsyncSinkWriterConfiguration config = sink.writerConfiguration();
        assertThat(config.getMaxBatchSize()).isEqualTo(5000);
        assertThat(config.getMaxBatchSizeInBytes()).isEqualTo(4L * 1024 * 1024);
        assertThat(config.getMaxTimeInBufferMS()).isEqualTo(1000);
        assertThat(config.getMaxInFlightRequests()).isEqualTo(4);
        assertThat(config.getMaxBufferedRequests()).isEqualTo(50_000);
        assertThat(sink.getConnection().hasCredentials()).isFalse();
    }

    @Test
    void reportsEveryMissingRequiredSettingAtOnce() {
        assertThatThrownBy(() -> InfluxDbSink.<Long>builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "invalid InfluxDB sink configuration: url is required (setUrl), e.g."
                                + " http://127.0.0.1:8086; database is required (setDatabase);"
                                + " element converter is required (setElementConverter)");
    }

    @Test
    void rejectsNonHttpUrlAndInconsistentBatching() {
        assertThatThrownBy(
                        () ->
                                InfluxDbSink.<Long>builder()
                                        .setUrl("localhost:8086")
                                        .setDatabase("d")
                                        .setElementConverter(CONVERTER)
                                        .setMaxBatchSize(100)
                                        .setMaxBufferedRequests(10)
                                        .build())
                .hasMessageContaining(
                        "url must look like http(s)://host:port, got 'localhost:8086'")
                .hasMessageContaining("max buffered requests (10) must be >= max batch size (100)");
    }

    @Test
    void rejectsPasswordWithoutUserAndDurationWithoutCreateDatabase() {
        assertThatThrownBy(
                        () ->
                                InfluxDbSink.<Long>builder()
                                        .setUrl("http://h:1")
                                        .setDatabase("d")
                                        .setElementConverter(CONVERTER)
                                        .setCredentials(null, "pw")
                                        .setRetentionPolicy("week")
                                        .setRetentionPolicyDuration("7d")
                                        .setRetryBackoff(
                                                Duration.ofSeconds(2), Duration.ofSeconds(1))
                                        .build())
                .hasMessageContaining("a password is set without a user name")
                .hasMessageContaining("needs setRetentionPolicy(..) and setCreateDatabase(true)")
                .hasMessageContaining("initial backoff must not exceed max backoff");
    }

    @Test
    void neverShowsThePassword() {
        InfluxDbSink<Long> sink =
                InfluxDbSink.<Long>builder()
                        .setUrl("http://h:1")
                        .setDatabase("d")
                        .setCredentials("admin", "s3cr3t-pw")
                        .setElementConverter(CONVERTER)
                        .build();

        assertThat(sink.getConnection().toString())
                .contains("username=admin")
                .contains("password=<hidden>")
                .doesNotContain("s3cr3t-pw");
    }
}
