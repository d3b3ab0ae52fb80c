package dev.vigil.bridge;

import dev.vigil.common.model.Envelope;

/**
 * Where the bridge sends envelopes (Kafka or Kinesis). The contract the bridge's acknowledgements
 * rely on: {@link #forward} never blocks on the destination and reports each message's outcome
 * exactly once, only after the destination confirmed it (or its dead letter). Failures the message
 * is not to blame for are retried with backoff until they succeed, so nothing is dropped; the
 * bridge's in-flight cap bounds what is pending.
 */
interface Forwarder extends AutoCloseable {

    /** Outcome of one message. */
    interface Outcome {
        void forwarded();

        void deadLettered();
    }

    /**
     * Checks that the destination answers and is ready (creating what is missing when allowed);
     * throws {@link BridgeException} saying what to do otherwise.
     */
    void prepare();

    /** Forwards one envelope; {@code outcome} is called exactly once, from another thread. */
    void forward(Envelope envelope, Outcome outcome);

    /**
     * Writes the envelope to the dead-letter destination with {@code reason} (e.g. a topic outside
     * the allow-list); {@code outcome.deadLettered()} is called once it is confirmed.
     */
    void deadLetter(Envelope envelope, String reason, Outcome outcome);

    /** Sends what is buffered now. */
    void flush();

    /** After this, failures are no longer retried (the broker redelivers what is unconfirmed). */
    void stopRetrying();

    @Override
    void close();

    /** Closes at once, without waiting for anything pending (after a failed start). */
    default void abort() {
        close();
    }
}
