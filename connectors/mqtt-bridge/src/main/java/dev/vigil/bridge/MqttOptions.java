package dev.vigil.bridge;

import java.util.Arrays;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;

/** Connection options of the bridge's MQTT session, and plain-words connection errors. */
final class MqttOptions {

    private MqttOptions() {}

    /** Persistent session (clean session off), automatic reconnect, credentials and TLS. */
    static MqttConnectOptions build(BridgeConfig.Mqtt config, Secrets secrets) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        options.setAutomaticReconnect(true);
        options.setMaxReconnectDelay(5_000);
        options.setKeepAliveInterval(config.keepAliveSeconds);
        options.setConnectionTimeout(config.connectTimeoutSeconds);
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        if (config.username != null) {
            options.setUserName(config.username);
            char[] password = secrets.read(config.passwordFile, Secrets.MQTT_PASSWORD_ENV);
            if (password != null) {
                options.setPassword(password);
                Arrays.fill(password, '\0');
            }
        }
        if (config.url.startsWith("ssl://")) {
            options.setSocketFactory(MqttTls.socketFactory(config.tls, secrets));
            options.setHttpsHostnameVerificationEnabled(config.tls.verifyHostname);
        }
        return options;
    }

    /** What went wrong and what to do, for a failed first connection. */
    static String explain(BridgeConfig.Mqtt config, MqttException e) {
        String what;
        int reason =
                isTlsFailure(e) ? MqttException.REASON_CODE_SSL_CONFIG_ERROR : e.getReasonCode();
        switch (reason) {
            case MqttException.REASON_CODE_FAILED_AUTHENTICATION:
            case MqttException.REASON_CODE_NOT_AUTHORIZED:
                what =
                        "the broker refused the credentials of user '"
                                + config.username
                                + "'. Check mqtt.username and the password in mqtt.password-file or $"
                                + Secrets.MQTT_PASSWORD_ENV;
                break;
            case MqttException.REASON_CODE_INVALID_CLIENT_ID:
                what =
                        "the broker refused client id '"
                                + config.clientId
                                + "'. Change mqtt.client-id";
                break;
            case MqttException.REASON_CODE_SSL_CONFIG_ERROR:
                what =
                        "TLS failed ("
                                + KafkaForwarder.rootMessage(e)
                                + "). Check mqtt.tls.ca-file / keystore-file and that the URL's"
                                + " port is the broker's TLS listener";
                break;
            default:
                what =
                        "the broker did not accept a connection ("
                                + KafkaForwarder.rootMessage(e)
                                + "). Check mqtt.url and that the broker is running (for a local"
                                + " one: scripts/services/mosquitto.sh start)";
        }
        return "Cannot connect to the MQTT broker at " + config.url + ": " + what + ".";
    }

    /** A failed TLS handshake (unknown CA, wrong host name, plain-text port, …). */
    private static boolean isTlsFailure(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }
}
