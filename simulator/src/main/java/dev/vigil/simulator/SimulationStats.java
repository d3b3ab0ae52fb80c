package dev.vigil.simulator;

import java.util.EnumMap;
import java.util.Map;

/** Counts of what a {@link FleetSimulator} has emitted so far. */
public final class SimulationStats {

    private long regular;
    private long duplicates;
    private long outOfOrder;
    private long emitted;
    private final EnumMap<MalformedKind, Long> malformed = new EnumMap<>(MalformedKind.class);

    SimulationStats() {
        for (MalformedKind kind : MalformedKind.values()) {
            malformed.put(kind, 0L);
        }
    }

    void countRegular() {
        regular++;
    }

    void countDuplicate() {
        duplicates++;
    }

    void countOutOfOrder() {
        outOfOrder++;
    }

    void countMalformed(MalformedKind kind) {
        malformed.merge(kind, 1L, Long::sum);
    }

    void countEmitted() {
        emitted++;
    }

    /** Well-formed telemetry messages generated (excluding duplicates and malformed extras). */
    public long regularMessages() {
        return regular;
    }

    /** Extra identical copies of regular messages. */
    public long duplicates() {
        return duplicates;
    }

    /** Regular messages held back so that they arrive after later ticks' messages. */
    public long outOfOrder() {
        return outOfOrder;
    }

    public long malformed(MalformedKind kind) {
        return malformed.get(kind);
    }

    public long malformedTotal() {
        return malformed.values().stream().mapToLong(Long::longValue).sum();
    }

    public Map<MalformedKind, Long> malformedByKind() {
        return Map.copyOf(malformed);
    }

    /** Envelopes handed out by the iterator so far. */
    public long emitted() {
        return emitted;
    }

    @Override
    public String toString() {
        return "SimulationStats{regular="
                + regular
                + ", duplicates="
                + duplicates
                + ", outOfOrder="
                + outOfOrder
                + ", malformed="
                + malformed
                + ", emitted="
                + emitted
                + '}';
    }
}
