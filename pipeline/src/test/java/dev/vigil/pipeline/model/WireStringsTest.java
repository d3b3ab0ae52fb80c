package dev.vigil.pipeline.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class WireStringsTest {

    @Test
    void everyStringRoundTripsExactly() throws IOException {
        String[] strings = {
            null,
            "",
            "cpu",
            "usage_user",
            "x".repeat(70_000), // a 3-byte varint header
            "Gent é", // Latin-1, not ASCII
            "温度 🌡",
            "\ud800 lone surrogate",
            "ends with a lone \udfff"
        };
        DataOutputSerializer out = new DataOutputSerializer(64);
        for (String s : strings) {
            WireStrings.write(s, out);
        }
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        for (String s : strings) {
            assertThat(WireStrings.read(in)).isEqualTo(s);
        }
        assertThat(in.available()).isZero();
    }

    @Test
    void asciiIsOneByteHeaderPlusOneBytePerChar() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        WireStrings.write("host", out);
        assertThat(out.length()).isEqualTo(5);
    }

    @Test
    void aMalformedHeaderSaysSo() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {3});
        assertThatThrownBy(() -> WireStrings.read(in))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("Malformed string header 3");
    }
}
