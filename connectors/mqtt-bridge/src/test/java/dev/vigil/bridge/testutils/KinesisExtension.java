package dev.vigil.bridge.testutils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The Kinesis emulator (kinesis-local) on a free port for one test class, with the given streams,
 * started and stopped by its script. Installed once (npm) into {@code
 * <repo>/.vigil/services/kinesis-local}. Sets dummy AWS credentials as system properties (the
 * emulator wants signed requests; the default provider chain finds them there).
 */
public final class KinesisExtension implements BeforeAllCallback, AfterAllCallback {

    /** The emulator's account id. */
    public static final String ACCOUNT = "000000000000";

    public static final String REGION = "us-east-1";

    private final String streams;
    private ServiceScript script;
    private int port;

    /** {@code streams}: {@code name:shards[,name:shards...]}, created at start. */
    public KinesisExtension(String streams) {
        this.streams = streams;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        Path home = ServiceScript.repoDir().resolve(".vigil/services/kinesis-local");
        port = ServiceScript.freePortPair();
        script =
                new ServiceScript(
                        "kinesis",
                        "kinesis-" + port,
                        Map.of("VIGIL_KINESIS_HOME", home.toString(), "KINESIS_STREAMS", streams));
        if (!Files.isRegularFile(home.resolve("node_modules/kinesis-local/main.js"))) {
            try {
                script.run("install");
            } catch (IllegalStateException e) {
                throw ServiceScript.missing(
                        "The Kinesis emulator (" + e.getMessage() + ")",
                        "scripts/services/kinesis.sh install");
            }
        }
        System.setProperty("aws.accessKeyId", System.getProperty("aws.accessKeyId", "test"));
        System.setProperty(
                "aws.secretAccessKey", System.getProperty("aws.secretAccessKey", "test"));
        script.run("start", Integer.toString(port));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (script != null) {
            script.run("stop");
        }
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public static String streamArn(String stream) {
        return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + stream;
    }
}
