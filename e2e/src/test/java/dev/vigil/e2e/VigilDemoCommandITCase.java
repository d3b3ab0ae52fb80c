package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main command, as a user types it: {@code ./vigil demo} (embedded MQTT broker,
 * simulator, bridge, embedded Kafka, the job on a MiniCluster) for one simulated hour of the
 * default fleet. It runs the script with the jars this build produced ({@code VIGIL_NO_BUILD=1})
 * and asserts the summary it prints: every message sent was received, accepted + rejected =
 * received, and precision/recall against the simulator's ground truth meet the demo's targets.
 */
class VigilDemoCommandITCase {

    private static final Pattern MESSAGES =
            Pattern.compile(
                    "messages: (\\d+) sent, (\\d+) received = (\\d+) accepted \\+ (\\d+) rejected");
    private static final Pattern QUALITY =
            Pattern.compile("precision (\\d\\.\\d+) \\(.*\\), recall (\\d\\.\\d+) \\(");

    @TempDir Path dir;

    @Test
    void vigilDemoPrintsAFullAccountAndMeetsPrecisionAndRecall() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        Path log = dir.resolve("demo.out");
        ProcessBuilder command =
                new ProcessBuilder(
                                "./vigil",
                                "demo",
                                "--duration",
                                "1h",
                                "--quiet",
                                "--no-web-ui",
                                "--data-dir",
                                dir.resolve("data").toString())
                        .directory(root.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        command.environment().put("VIGIL_NO_BUILD", "1");
        Process demo = command.start();
        boolean finished = demo.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroyForcibly().waitFor();
        }
        String out = read(log);
        assertThat(finished).as("./vigil demo finished within 5 min; output:%n%s", out).isTrue();
        assertThat(demo.exitValue()).as("exit code; output:%n%s", out).isZero();

        Matcher messages = MESSAGES.matcher(out);
        assertThat(messages.find()).as("summary line in:%n%s", out).isTrue();
        long sent = Long.parseLong(messages.group(1));
        long received = Long.parseLong(messages.group(2));
        long accepted = Long.parseLong(messages.group(3));
        long rejected = Long.parseLong(messages.group(4));
        assertThat(sent).isGreaterThan(1000);
        assertThat(received).isEqualTo(sent);
        assertThat(accepted + rejected).isEqualTo(received);
        assertThat(rejected).as("the default fleet sends malformed messages").isPositive();

        Matcher quality = QUALITY.matcher(out);
        assertThat(quality.find()).as("precision/recall line in:%n%s", out).isTrue();
        assertThat(Double.parseDouble(quality.group(1)))
                .as("precision")
                .isGreaterThanOrEqualTo(0.8);
        assertThat(Double.parseDouble(quality.group(2))).as("recall").isGreaterThanOrEqualTo(0.9);
        assertThat(out).contains("embedded services: MQTT tcp://127.0.0.1:");
    }

    private static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
