package dev.vigil.bridge;

/**
 * A problem the operator must fix (unreachable broker, bad setting); the message says what to do.
 */
public class BridgeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BridgeException(String message) {
        super(message);
    }

    public BridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
