package dev.vigil.pipeline.time;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.common.model.Envelope;
import dev.vigil.common.parse.ParserLimits;
import dev.vigil.common.routing.RoutingConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeEventTimeTest {

    private static final long RECEIVED = 1_800_000_000_000L;

    private final EnvelopeEventTime eventTime =
            new EnvelopeEventTime(RoutingConfig.builtIn(), ParserLimits.defaults());

    private static Envelope envelope(String topic, String payload) {
        return new Envelope(topic, payload.getBytes(StandardCharsets.UTF_8), RECEIVED);
    }

    @Test
    void jsonMessageHasItsTimestamp() {
        Envelope e =
                envelope(
                        "sensors/d1/telemetry",
                        "{\"timestamp\":1772323200000,\"t\":20.5,\"h\":40}");
        assertThat(eventTime.extractTimestamp(e, -1)).isEqualTo(1_772_323_200_000L);
    }

    @Test
    void lineProtocolMessageHasItsLatestPoint() {
        Envelope e =
                envelope(
                        "telegraf/h1",
                        "cpu,host=h1 usage=1 1772323200000000000\n"
                                + "cpu,host=h1 usage=2 1772323205000000000\n"
                                + "cpu,host=h1 usage=3 1772323201000000000");
        assertThat(eventTime.extractTimestamp(e, -1)).isEqualTo(1_772_323_205_000L);
    }

    @Test
    void rejectedMessageNeverMovesTheWatermark() {
        assertThat(eventTime.extractTimestamp(envelope("sensors/d1/telemetry", "{oops"), -1))
                .isEqualTo(Long.MIN_VALUE);
        assertThat(eventTime.extractTimestamp(envelope("unknown/topic", "{\"t\":1}"), -1))
                .isEqualTo(Long.MIN_VALUE);
    }
}
