package dev.vigil.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration reference lists every setting (and so cannot fall behind the code).
 */
class ConfigurationReferenceTest {

    @Test
    void readmeListsEverySetting() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (ConfigOption<?> option : VigilConfig.allOptions()) {
            assertThat(readme)
                    .as("README entry for %s", option.key())
                    .contains("| `" + option.key() + "` |");
        }
    }
}
