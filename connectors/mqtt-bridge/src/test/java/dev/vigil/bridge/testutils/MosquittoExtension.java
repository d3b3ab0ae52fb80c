package dev.vigil.bridge.testutils;

import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** A Mosquitto broker on a free port for one test class, started and stopped by its script. */
public final class MosquittoExtension implements BeforeAllCallback, AfterAllCallback {

    private ServiceScript script;
    private int port;

    @Override
    public void beforeAll(ExtensionContext context) {
        if (!ServiceScript.onPath("mosquitto")) {
            throw ServiceScript.missing("mosquitto", "scripts/services/mosquitto.sh install");
        }
        port = ServiceScript.freePort();
        script = new ServiceScript("mosquitto", "mosquitto-" + port, Map.of());
        script.run("start", Integer.toString(port));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (script != null) {
            script.run("stop");
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }
}
