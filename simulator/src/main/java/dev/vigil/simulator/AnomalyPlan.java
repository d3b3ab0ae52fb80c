package dev.vigil.simulator;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which anomalies go where and when. At most one anomaly per series, on distinct series (a
 * silence takes a whole device whose series carry nothing else); start ticks are spread evenly
 * between the warm-up and the end of the run, kinds interleaved. Anomalies that do not fit in the
 * run or find no free target are skipped (logged).
 */
public final class AnomalyPlan {

    private static final Logger LOG = LoggerFactory.getLogger(AnomalyPlan.class);
    private static final long PLAN_SALT = 0x504c414eL;

    private final List<Injection> injections;
    private final Map<String, Injection> bySeries = new HashMap<>();
    private final Map<String, List<Injection>> silencesByDevice = new HashMap<>();

    private AnomalyPlan(List<Injection> injections) {
        this.injections = List.copyOf(injections);
        for (Injection injection : injections) {
            if (injection.kind() == InjectionKind.SILENCE) {
                silencesByDevice
                        .computeIfAbsent(injection.device().name(), d -> new ArrayList<>())
                        .add(injection);
            } else {
                bySeries.put(injection.series().seriesKey(), injection);
            }
        }
    }

    static AnomalyPlan plan(FleetConfig config, Fleet fleet) {
        return new Planner(config, fleet).plan();
    }

    public List<Injection> injections() {
        return injections;
    }

    boolean silenced(SimDevice device, int tick) {
        List<Injection> silences = silencesByDevice.get(device.name());
        return silences != null && silences.stream().anyMatch(s -> s.covers(tick));
    }

    /** The value series reports at tick (clean value plus any anomaly). */
    double value(SeriesModel series, int tick) {
        double clean = series.cleanValue(tick);
        Injection injection = bySeries.get(series.seriesKey());
        return injection == null ? clean : injection.apply(tick, clean);
    }

    /**
     * The ground truth of the plan: one entry per affected series (silence: each device series).
     */
    GroundTruth groundTruth(FleetConfig config) {
        List<GroundTruth.Entry> entries = new ArrayList<>();
        for (Injection injection : injections) {
            List<SeriesModel> affected =
                    injection.series() == null
                            ? injection.device().series()
                            : List.of(injection.series());
            for (SeriesModel series : affected) {
                entries.add(
                        new GroundTruth.Entry(
                                series.seriesKey(),
                                injection.kind().name(),
                                config.tickTimeMs(injection.startTick()),
                                config.tickTimeMs(injection.endTick())));
            }
        }
        return new GroundTruth(entries);
    }

    /** One-shot helper holding the planning state. */
    private static final class Planner {
        private final FleetConfig config;
        private final Fleet fleet;
        private final Random random;
        private final Set<String> usedSeries = new HashSet<>();
        private final Set<String> silencedDevices = new HashSet<>();
        private final Map<String, Integer> anomaliesPerDevice = new HashMap<>();

        Planner(FleetConfig config, Fleet fleet) {
            this.config = config;
            this.fleet = fleet;
            this.random = new Random(Noise.hash(config.seed(), PLAN_SALT));
        }

        AnomalyPlan plan() {
            List<InjectionKind> order = interleavedKinds();
            List<Injection> out = new ArrayList<>();
            // silences first so that the other kinds avoid the silenced devices
            for (int j = 0; j < order.size(); j++) {
                if (order.get(j) == InjectionKind.SILENCE) {
                    addIfPossible(out, order.get(j), slot(j, order.size()));
                }
            }
            for (int j = 0; j < order.size(); j++) {
                if (order.get(j) != InjectionKind.SILENCE) {
                    addIfPossible(out, order.get(j), slot(j, order.size()));
                }
            }
            out.sort(Comparator.comparingInt(Injection::startTick));
            return new AnomalyPlan(out);
        }

        private List<InjectionKind> interleavedKinds() {
            List<InjectionKind> order = new ArrayList<>();
            int max = 0;
            for (InjectionKind kind : InjectionKind.values()) {
                max = Math.max(max, config.anomalies(kind));
            }
            for (int round = 0; round < max; round++) {
                for (InjectionKind kind : InjectionKind.values()) {
                    if (round < config.anomalies(kind)) {
                        order.add(kind);
                    }
                }
            }
            return order;
        }

        private int slot(int index, int count) {
            int span = config.totalTicks() - config.warmupTicks();
            return config.warmupTicks() + (int) ((long) index * span / count);
        }

        private void addIfPossible(List<Injection> out, InjectionKind kind, int slotTick) {
            int total = config.totalTicks();
            int start = Math.min(slotTick, total - kind.minTicks());
            if (start < config.warmupTicks()) {
                LOG.warn("Run too short for {} after the warm-up: not injected", kind);
                return;
            }
            Injection injection =
                    kind == InjectionKind.SILENCE
                            ? silence(start)
                            : onSeries(kind, start, endTick(kind, start, total));
            if (injection == null) {
                LOG.warn("No free series left for {}: not injected", kind);
                return;
            }
            out.add(injection);
        }

        private static int endTick(InjectionKind kind, int start, int total) {
            return switch (kind) {
                case SPIKE -> start;
                case SUSTAINED_DEVIATION -> start + InjectionKind.SUSTAINED_POINTS - 1;
                case LEVEL_SHIFT -> total - 1;
                case FLATLINE -> start + InjectionKind.FLATLINE_POINTS - 1;
                case SILENCE -> start + InjectionKind.SILENCE_TICKS - 1;
                case DRIFT -> start + InjectionKind.DRIFT_TICKS - 1;
            };
        }

        private Injection silence(int start) {
            List<SimDevice> devices = new ArrayList<>(fleet.devices());
            Collections.shuffle(devices, random);
            for (SimDevice device : devices) {
                if (!silencedDevices.contains(device.name())
                        && device.series().stream()
                                .noneMatch(s -> usedSeries.contains(s.seriesKey()))) {
                    silencedDevices.add(device.name());
                    device.series().forEach(s -> usedSeries.add(s.seriesKey()));
                    anomaliesPerDevice.merge(device.name(), 1, Integer::sum);
                    int end = endTick(InjectionKind.SILENCE, start, config.totalTicks());
                    return new Injection(InjectionKind.SILENCE, device, null, start, end);
                }
            }
            return null;
        }

        private Injection onSeries(InjectionKind kind, int start, int end) {
            List<SeriesModel> candidates = new ArrayList<>();
            for (SimDevice device : fleet.devices()) {
                if (silencedDevices.contains(device.name())) {
                    continue;
                }
                for (SeriesModel s : device.series()) {
                    if (s.injectable() && !usedSeries.contains(s.seriesKey())) {
                        candidates.add(s);
                    }
                }
            }
            if (candidates.isEmpty()) {
                return null;
            }
            Collections.shuffle(candidates, random);
            SeriesModel target =
                    candidates.stream()
                            .min(Comparator.comparingInt(s -> deviceLoad(s.device())))
                            .orElseThrow();
            usedSeries.add(target.seriesKey());
            anomaliesPerDevice.merge(target.device(), 1, Integer::sum);
            SimDevice device = deviceOf(target);
            return new Injection(kind, device, target, start, end);
        }

        private int deviceLoad(String device) {
            return anomaliesPerDevice.getOrDefault(device, 0);
        }

        private SimDevice deviceOf(SeriesModel series) {
            return fleet.devices().stream()
                    .filter(d -> d.name().equals(series.device()))
                    .findFirst()
                    .orElseThrow();
        }
    }
}
