package dev.vigil.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VigilConfigTest {

    @TempDir Path dir;

    @Test
    void fileThenOverrides() throws Exception {
        Path file = dir.resolve("vigil.yaml");
        Files.writeString(
                file,
                "detector:\n  band-k: 4.5\n  warmup-points: 50\nwatermark.out-of-orderness: 20 s\n");

        VigilConfig config = VigilConfig.load(file, Map.of("detector.band-k", "3.5"));

        assertThat(config.get(VigilOptions.BAND_K)).isEqualTo(3.5);
        assertThat(config.get(VigilOptions.WARMUP_POINTS)).isEqualTo(50);
        assertThat(config.get(VigilOptions.OUT_OF_ORDERNESS)).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.detection().outOfOrdernessMs).isEqualTo(20_000);
        assertThat(config.get(VigilOptions.EPSILON)).isEqualTo(1e-6);
    }

    @Test
    void unknownKeyNamesTheClosestKnownOne() {
        assertThatThrownBy(() -> VigilConfig.load(null, Map.of("detector.band", "3")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Unknown setting 'detector.band'")
                .hasMessageContaining("Did you mean 'detector.band-k'?");
    }

    @Test
    void invalidValueSaysWhatToFix() {
        assertThatThrownBy(() -> VigilConfig.load(null, Map.of("detector.epsilon", "2")))
                .hasMessageContaining("'detector.epsilon' must be in (0, 1)")
                .hasMessageContaining("--detector.epsilon");
    }

    @Test
    void commandLineOverrides() {
        assertThat(VigilConfig.parseOverrides(List.of("--a.b", "1", "--c=2")))
                .containsExactly(Map.entry("a.b", "1"), Map.entry("c", "2"));
        assertThatThrownBy(() -> VigilConfig.parseOverrides(List.of("--a.b")))
                .hasMessageContaining("has no value");
        assertThatThrownBy(() -> VigilConfig.parseOverrides(List.of("x")))
                .hasMessageContaining("--key value");
    }

    @Test
    void missingFileIsExplained() {
        assertThatThrownBy(() -> VigilConfig.load(dir.resolve("nope.yaml"), Map.of()))
                .hasMessageContaining("does not exist");
    }
}
