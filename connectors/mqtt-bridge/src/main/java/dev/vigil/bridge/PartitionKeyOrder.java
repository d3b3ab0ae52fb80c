package dev.vigil.bridge;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Keeps the records of one partition key in order across concurrent and retried {@code PutRecords}
 * requests: a key is in at most one request at a time. While a key is <em>outstanding</em> (in a
 * request not yet confirmed, or waiting for a retry of its failed records), newer records of that
 * key are held here; when the request is confirmed they are released, in order, into the next
 * request. Held records count against the bridge's in-flight cap, so this is bounded.
 *
 * <p>Thread-safe: the sender thread admits and drains, the SDK's threads finish requests.
 */
final class PartitionKeyOrder<E> {

    private final Set<String> outstanding = new HashSet<>();
    private final Map<String, ArrayDeque<E>> held = new HashMap<>();
    private final ArrayDeque<String> released = new ArrayDeque<>();

    /**
     * A new record of {@code key} for the request being built (whose keys are {@code batchKeys}):
     * true if it joins the request, false if it is held behind earlier records of its key.
     */
    synchronized boolean admit(String key, E record, Set<String> batchKeys) {
        ArrayDeque<E> waiting = held.get(key);
        if (waiting != null) {
            waiting.add(record);
            return false;
        }
        if (batchKeys.contains(key)) {
            return true;
        }
        if (outstanding.contains(key)) {
            held.computeIfAbsent(key, k -> new ArrayDeque<>()).add(record);
            return false;
        }
        outstanding.add(key);
        batchKeys.add(key);
        return true;
    }

    /**
     * Moves the held records of released keys, in order, into the request being built, as long as
     * {@code tryAdd} takes them (it refuses when the request is full or for another stream).
     */
    synchronized void drainReleased(Predicate<E> tryAdd, Set<String> batchKeys) {
        while (!released.isEmpty()) {
            String key = released.peek();
            ArrayDeque<E> waiting = held.get(key);
            if (!tryAdd.test(waiting.peek())) {
                return;
            }
            waiting.poll();
            released.poll();
            outstanding.add(key);
            batchKeys.add(key);
            while (!waiting.isEmpty() && tryAdd.test(waiting.peek())) {
                waiting.poll();
            }
            if (!waiting.isEmpty()) {
                return; // the request is full: the rest waits until this request is confirmed
            }
            held.remove(key);
        }
    }

    /** The requests of {@code keys} are confirmed: their held records may go. */
    synchronized void finished(Collection<String> keys) {
        for (String key : keys) {
            outstanding.remove(key);
            if (held.containsKey(key) && !released.contains(key)) {
                released.add(key);
            }
        }
    }

    /** Records held now (for tests and metrics). */
    synchronized int heldCount() {
        return held.values().stream().mapToInt(ArrayDeque::size).sum();
    }
}
