package dev.vigil.simulator;

import dev.vigil.common.model.Envelope;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Generates the telemetry of a simulated {@link Fleet} as {@link Envelope}s, tick by tick, with the
 * anomalies of an {@link AnomalyPlan} injected. Fully determined by the {@link FleetConfig}: the
 * same config (seed) always yields the same envelopes.
 *
 * <p>Envelopes come out in arrival order (non-decreasing {@code receivedAt}). {@code receivedAt} is
 * the event time plus a deterministic delay of at most {@code max-receive-delay} (500 ms), so
 * without out-of-order injection arrival order is event-time order. Out-of-order messages arrive
 * {@code [max/2, max]} of {@code out-of-order-max-delay} later, i.e. after messages of later ticks.
 * Duplicates and malformed messages are extra messages (the regular message is still sent), so the
 * series and the ground truth are unaffected by them.
 */
public final class FleetSimulator implements Iterator<Envelope> {

    private static final long TRANSPORT_SALT = 0x5452414eL;
    private static final double UNKNOWN_TOPIC_SHARE = 0.25;

    private final FleetConfig config;
    private final Fleet fleet;
    private final AnomalyPlan plan;
    private final GroundTruth groundTruth;
    private final SimulationStats stats = new SimulationStats();
    private final PriorityQueue<Pending> queue =
            new PriorityQueue<>(
                    Comparator.comparingLong((Pending p) -> p.envelope.getReceivedAt())
                            .thenComparingLong(p -> p.sequence));
    private int nextTick;
    private long sequence;

    public FleetSimulator(FleetConfig config) {
        this.config = config;
        this.fleet = new Fleet(config);
        this.plan = AnomalyPlan.plan(config, fleet);
        this.groundTruth = plan.groundTruth(config);
    }

    /** All envelopes of the run, in arrival order. */
    public static List<Envelope> generateAll(FleetConfig config) {
        List<Envelope> out = new ArrayList<>();
        new FleetSimulator(config).forEachRemaining(out::add);
        return out;
    }

    /** The remaining envelopes as a sequential stream. */
    public Stream<Envelope> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        this, Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    @Override
    public boolean hasNext() {
        fill();
        return !queue.isEmpty();
    }

    @Override
    public Envelope next() {
        fill();
        Pending head = queue.poll();
        if (head == null) {
            throw new NoSuchElementException("the simulated run is over");
        }
        stats.countEmitted();
        return head.envelope;
    }

    public FleetConfig config() {
        return config;
    }

    public Fleet fleet() {
        return fleet;
    }

    public AnomalyPlan plan() {
        return plan;
    }

    /** Known up front: the whole plan, independent of how far the iteration went. */
    public GroundTruth groundTruth() {
        return groundTruth;
    }

    public SimulationStats stats() {
        return stats;
    }

    /** The value {@code series} reports at {@code tick}, anomalies included (NaN when silent). */
    public double reportedValue(SeriesModel series, int tick) {
        SimDevice device = deviceOf(series);
        return plan.silenced(device, tick) ? Double.NaN : plan.value(series, tick);
    }

    private SimDevice deviceOf(SeriesModel series) {
        return fleet.devices().stream()
                .filter(d -> d.name().equals(series.device()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("not in this fleet: " + series));
    }

    /**
     * Generates ticks until the queue head can no longer be overtaken: every message of tick t
     * arrives at or after t's event time.
     */
    private void fill() {
        while (nextTick < config.totalTicks()
                && (queue.isEmpty()
                        || queue.peek().envelope.getReceivedAt() >= config.tickTimeMs(nextTick))) {
            generateTick(nextTick++);
        }
    }

    private void generateTick(int tick) {
        long eventMs = config.tickTimeMs(tick);
        for (SimDevice device : fleet.devices()) {
            if (plan.silenced(device, tick)) {
                continue;
            }
            double[] values = valuesOf(device, tick);
            for (SimDevice.RawMessage message : device.render(eventMs, values)) {
                transport(device, message, tick, eventMs, values);
            }
        }
    }

    private double[] valuesOf(SimDevice device, int tick) {
        List<SeriesModel> series = device.series();
        double[] values = new double[series.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = plan.value(series.get(i), tick);
        }
        return values;
    }

    /** Adds the receive delay and, by deterministic dice, out-of-order, duplicate and malformed. */
    private void transport(
            SimDevice device, SimDevice.RawMessage message, int tick, long eventMs, double[] v) {
        Dice dice = new Dice(config.seed(), tick, message.topic);
        long receivedAt = eventMs + dice.upTo(0, config.maxReceiveDelay().toMillis());
        if (dice.roll(1) < config.outOfOrderRate()) {
            long max = config.outOfOrderMaxDelay().toMillis();
            receivedAt += max / 2 + dice.upTo(2, max - max / 2);
            stats.countOutOfOrder();
        }
        enqueue(message, receivedAt);
        stats.countRegular();
        if (dice.roll(3) < config.duplicateRate()) {
            enqueue(message, receivedAt + 1 + dice.upTo(4, 999));
            stats.countDuplicate();
        }
        if (dice.roll(5) < config.malformedRate()) {
            boolean unroutable = dice.roll(6) < UNKNOWN_TOPIC_SHARE;
            MalformedKind kind = unroutable ? MalformedKind.UNKNOWN_TOPIC : device.malformedKind();
            SimDevice.RawMessage bad =
                    unroutable ? device.unroutable(eventMs) : device.malformed(eventMs, v);
            enqueue(bad, eventMs + dice.upTo(7, config.maxReceiveDelay().toMillis()));
            stats.countMalformed(kind);
        }
    }

    private void enqueue(SimDevice.RawMessage message, long receivedAt) {
        queue.add(
                new Pending(
                        new Envelope(message.topic, message.payload.clone(), receivedAt),
                        sequence++));
    }

    /** Independent uniform draws for one message, keyed by seed, tick and topic. */
    private static final class Dice {
        private final long seed;
        private final long tick;
        private final long topic;

        Dice(long seed, int tick, String topic) {
            this.seed = seed;
            this.tick = tick;
            this.topic = Noise.hashString(topic);
        }

        double roll(int index) {
            return Noise.uniform(seed, TRANSPORT_SALT, tick, topic, index);
        }

        /** A uniform integer in [0, max]. */
        long upTo(int index, long max) {
            return Math.min(max, (long) (roll(index) * (max + 1)));
        }
    }

    private static final class Pending {
        final Envelope envelope;
        final long sequence;

        Pending(Envelope envelope, long sequence) {
            this.envelope = envelope;
            this.sequence = sequence;
        }
    }
}
