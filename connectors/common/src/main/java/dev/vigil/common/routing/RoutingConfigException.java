package dev.vigil.common.routing;

/** The routing configuration is invalid; the message says what is wrong and where. */
public class RoutingConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public RoutingConfigException(String message) {
        super(message);
    }

    public RoutingConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
