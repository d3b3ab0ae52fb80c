package dev.vigil.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration reference is exactly {@link VigilConfig#referenceTable()}, so it
 * cannot fall behind the code. After changing an option, run this test with {@code
 * -Dvigil.update-readme=true} to rewrite the table.
 */
class ConfigurationReferenceTest {

    private static final String BEGIN = "<!-- options:begin -->\n";
    private static final String END = "<!-- options:end -->";

    @Test
    void readmeListsEverySettingWithItsDefault() throws Exception {
        Path readme = Path.of("..", "README.md");
        String text = Files.readString(readme);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("README has the options markers").isPositive();
        String expected = VigilConfig.referenceTable();
        if (Boolean.getBoolean("vigil.update-readme")) {
            text = text.substring(0, begin + BEGIN.length()) + expected + text.substring(end);
            Files.writeString(readme, text);
            end = text.indexOf(END);
        }
        assertThat(text.substring(begin + BEGIN.length(), end))
                .as("README configuration reference (rerun with -Dvigil.update-readme=true)")
                .isEqualTo(expected);
    }
}
