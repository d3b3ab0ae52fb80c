package dev.vigil.demo.embedded;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MQTT 3.1.1 broker in this JVM (Moquette): loopback, a free port, anonymous, in memory. Queues
 * for a subscriber's persistent session are large enough for a demo run, so a bridge that falls
 * behind holds messages instead of losing them.
 */
public final class EmbeddedMqttBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedMqttBroker.class);

    /** Messages a session may have queued (the whole default demo fleet fits many times). */
    static final int SESSION_QUEUE_SIZE = 1_000_000;

    private final Server server;
    private final int port;

    private EmbeddedMqttBroker(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a broker on a free loopback port. The port is chosen by the operating system when
     * Moquette binds (port 0) and read back from Moquette: picking a "free" port first and binding
     * it later can race with another process, and Moquette only logs a failed bind.
     */
    public static EmbeddedMqttBroker start() throws IOException {
        Server server = new Server();
        server.startServer(new MemoryConfig(properties()));
        int port = server.getPort();
        if (port <= 0) {
            server.stopServer();
            throw new IOException(
                    "The embedded MQTT broker could not bind a loopback port (see the log above);"
                            + " check that 127.0.0.1 is usable on this machine");
        }
        EmbeddedMqttBroker broker = new EmbeddedMqttBroker(server, port);
        LOG.info("Embedded MQTT broker on {}", broker.url());
        return broker;
    }

    private static Properties properties() {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, "0");
        p.setProperty(IConfig.WEB_SOCKET_PORT_PROPERTY_NAME, "disabled");
        p.setProperty(IConfig.ALLOW_ANONYMOUS_PROPERTY_NAME, "true");
        p.setProperty(IConfig.PERSISTENCE_ENABLED_PROPERTY_NAME, "false");
        p.setProperty(IConfig.ENABLE_TELEMETRY_NAME, "false");
        p.setProperty(IConfig.SESSION_QUEUE_SIZE, Integer.toString(SESSION_QUEUE_SIZE));
        return p;
    }

    /** {@code tcp://127.0.0.1:PORT}. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.stopServer();
        LOG.info("Embedded MQTT broker stopped");
    }
}
