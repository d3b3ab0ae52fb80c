package dev.vigil.demo.embedded;

import io.moquette.broker.Server;
import io.moquette.broker.config.IConfig;
import io.moquette.broker.config.MemoryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
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

    private static final int BIND_ATTEMPTS = 3;

    private final Server server;
    private final int port;

    private EmbeddedMqttBroker(Server server, int port) {
        this.server = server;
        this.port = port;
    }

    /**
     * Starts a broker on a free loopback port. Moquette only logs a failed bind, so the port is
     * probed with a TCP connection before the broker is handed out; a port taken in between by
     * another process is replaced by another free one.
     */
    public static EmbeddedMqttBroker start() throws IOException {
        for (int attempt = 1; ; attempt++) {
            int port = FreePorts.next();
            Server server = new Server();
            server.startServer(new MemoryConfig(properties(port)));
            if (listens(port)) {
                EmbeddedMqttBroker broker = new EmbeddedMqttBroker(server, port);
                LOG.info("Embedded MQTT broker on {}", broker.url());
                return broker;
            }
            server.stopServer();
            if (attempt == BIND_ATTEMPTS) {
                throw new IOException(
                        "The embedded MQTT broker could not listen on a loopback port (tried "
                                + BIND_ATTEMPTS
                                + " free ports; see the log above). Check that 127.0.0.1 is"
                                + " usable on this machine.");
            }
            LOG.warn("The embedded MQTT broker did not bind port {}; trying another one", port);
        }
    }

    private static boolean listens(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Properties properties(int port) {
        Properties p = new Properties();
        p.setProperty(IConfig.HOST_PROPERTY_NAME, "127.0.0.1");
        p.setProperty(IConfig.PORT_PROPERTY_NAME, Integer.toString(port));
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
