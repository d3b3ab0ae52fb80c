package dev.vigil.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Immutable description of a simulated fleet and what to inject into its telemetry. Build it with
 * {@link #builder()}, {@link #defaults()}, {@link #fromYaml(Path)} or {@link #fromMap(Map)}.
 *
 * <p>Configuration keys (YAML nesting is flattened with dots, so {@code anomalies: {spike: 3}} is
 * {@code anomalies.spike=3}; durations are {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h},
 * {@code 1d} or ISO-8601 {@code PT10S}):
 *
 * <pre>
 * seed: 42                         start: 2026-01-01T00:00:00Z    duration: 2h
 * tick-interval: 10s               sensors: 12                     cities: [Mumbai, Delhi, ...]
 * servers: 6                       collectd-servers: 2             (the rest speak line protocol)
 * anomalies.enabled: true          anomalies.warmup-ticks: 60
 * anomalies.spike / sustained-deviation / level-shift / flatline / silence: 2, anomalies.drift: 0
 * malformed-rate: 0.005            duplicate-rate: 0               out-of-order-rate: 0
 * out-of-order-max-delay: 30s      max-receive-delay: 500ms        detector-half-life-points: 200
 * </pre>
 */
public final class FleetConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final List<String> DEFAULT_CITIES =
            List.of("Mumbai", "Delhi", "Chennai", "Kolkata", "Bengaluru", "Hyderabad");

    private final long seed;
    private final Instant start;
    private final Duration duration;
    private final Duration tickInterval;
    private final int sensors;
    private final List<String> cities;
    private final int servers;
    private final int collectdServers;
    private final boolean anomaliesEnabled;
    private final EnumMap<InjectionKind, Integer> anomaliesPerKind;
    private final int warmupTicks;
    private final double malformedRate;
    private final double outOfOrderRate;
    private final Duration outOfOrderMaxDelay;
    private final double duplicateRate;
    private final Duration maxReceiveDelay;
    private final double detectorHalfLifePoints;

    private FleetConfig(Builder b) {
        seed = b.seed;
        start = b.start;
        duration = b.duration;
        tickInterval = b.tickInterval;
        sensors = b.sensors;
        cities = List.copyOf(b.cities);
        servers = b.servers;
        collectdServers = b.collectdServers;
        anomaliesEnabled = b.anomaliesEnabled;
        anomaliesPerKind = new EnumMap<>(b.anomaliesPerKind);
        warmupTicks = b.warmupTicks;
        malformedRate = b.malformedRate;
        outOfOrderRate = b.outOfOrderRate;
        outOfOrderMaxDelay = b.outOfOrderMaxDelay;
        duplicateRate = b.duplicateRate;
        maxReceiveDelay = b.maxReceiveDelay;
        detectorHalfLifePoints = b.detectorHalfLifePoints;
        validate();
    }

    public static FleetConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.start = start;
        b.duration = duration;
        b.tickInterval = tickInterval;
        b.sensors = sensors;
        b.cities = new ArrayList<>(cities);
        b.servers = servers;
        b.collectdServers = collectdServers;
        b.anomaliesEnabled = anomaliesEnabled;
        b.anomaliesPerKind = new EnumMap<>(anomaliesPerKind);
        b.warmupTicks = warmupTicks;
        b.malformedRate = malformedRate;
        b.outOfOrderRate = outOfOrderRate;
        b.outOfOrderMaxDelay = outOfOrderMaxDelay;
        b.duplicateRate = duplicateRate;
        b.maxReceiveDelay = maxReceiveDelay;
        b.detectorHalfLifePoints = detectorHalfLifePoints;
        return b;
    }

    /** Reads a YAML file of the keys in the class comment; absent keys keep their defaults. */
    public static FleetConfig fromYaml(Path file) throws IOException {
        Map<?, ?> tree = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
        return fromMap(tree == null ? Map.of() : tree);
    }

    /**
     * Builds a config from flat ({@code anomalies.spike=3}) or nested keys; values may be strings
     * or YAML scalars. Unknown keys are rejected.
     */
    public static FleetConfig fromMap(Map<?, ?> values) {
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", values, flat);
        Builder b = builder();
        flat.forEach((key, value) -> b.set(key, value));
        return b.build();
    }

    private static void flatten(String prefix, Map<?, ?> in, Map<String, Object> out) {
        for (Map.Entry<?, ?> e : in.entrySet()) {
            String key = prefix + e.getKey();
            if (e.getValue() instanceof Map) {
                flatten(key + ".", (Map<?, ?>) e.getValue(), out);
            } else {
                out.put(key, e.getValue());
            }
        }
    }

    /** Number of ticks in the run: {@code duration / tickInterval}, at least 1. */
    public int totalTicks() {
        return (int) Math.max(1, duration.toMillis() / tickInterval.toMillis());
    }

    /** Event time of tick {@code tick} in epoch milliseconds. */
    public long tickTimeMs(int tick) {
        return start.toEpochMilli() + tick * tickInterval.toMillis();
    }

    public int lineProtocolServers() {
        return servers - collectdServers;
    }

    /** How many anomalies of this kind to inject (0 when injection is off). */
    public int anomalies(InjectionKind kind) {
        return anomaliesEnabled ? anomaliesPerKind.getOrDefault(kind, 0) : 0;
    }

    public long seed() {
        return seed;
    }

    public Instant start() {
        return start;
    }

    public Duration duration() {
        return duration;
    }

    public Duration tickInterval() {
        return tickInterval;
    }

    public int sensors() {
        return sensors;
    }

    public List<String> cities() {
        return cities;
    }

    public int servers() {
        return servers;
    }

    public int collectdServers() {
        return collectdServers;
    }

    public boolean anomaliesEnabled() {
        return anomaliesEnabled;
    }

    public int warmupTicks() {
        return warmupTicks;
    }

    public double malformedRate() {
        return malformedRate;
    }

    public double outOfOrderRate() {
        return outOfOrderRate;
    }

    public Duration outOfOrderMaxDelay() {
        return outOfOrderMaxDelay;
    }

    public double duplicateRate() {
        return duplicateRate;
    }

    public Duration maxReceiveDelay() {
        return maxReceiveDelay;
    }

    public double detectorHalfLifePoints() {
        return detectorHalfLifePoints;
    }

    private void validate() {
        require(tickInterval.toMillis() > 0, "tick-interval", "must be positive");
        require(
                duration.toMillis() >= tickInterval.toMillis(),
                "duration",
                "must be ≥ tick-interval");
        require(sensors >= 0, "sensors", "must be ≥ 0");
        require(!cities.isEmpty() || sensors == 0, "cities", "must not be empty");
        require(servers >= 0, "servers", "must be ≥ 0");
        require(
                collectdServers >= 0 && collectdServers <= servers,
                "collectd-servers",
                "must be between 0 and servers");
        require(warmupTicks >= 0, "anomalies.warmup-ticks", "must be ≥ 0");
        anomaliesPerKind.forEach(
                (kind, n) -> require(n >= 0, "anomalies." + kind.configKey(), "must be ≥ 0"));
        requireRate(malformedRate, "malformed-rate");
        requireRate(outOfOrderRate, "out-of-order-rate");
        requireRate(duplicateRate, "duplicate-rate");
        require(
                !outOfOrderMaxDelay.isNegative() && !outOfOrderMaxDelay.isZero(),
                "out-of-order-max-delay",
                "must be positive");
        require(
                !maxReceiveDelay.isNegative()
                        && maxReceiveDelay.toMillis() < tickInterval.toMillis(),
                "max-receive-delay",
                "must be ≥ 0 and shorter than tick-interval");
        require(detectorHalfLifePoints >= 1, "detector-half-life-points", "must be ≥ 1");
    }

    private static void requireRate(double rate, String key) {
        require(rate >= 0 && rate <= 1, key, "must be in [0, 1]");
    }

    private static void require(boolean ok, String key, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid simulator setting '" + key + "': " + rule);
        }
    }

    @Override
    public String toString() {
        return "FleetConfig{seed="
                + seed
                + ", start="
                + start
                + ", duration="
                + duration
                + ", tick="
                + tickInterval
                + ", sensors="
                + sensors
                + ", servers="
                + servers
                + " ("
                + collectdServers
                + " collectd), anomalies="
                + (anomaliesEnabled ? anomaliesPerKind : "off")
                + ", malformed="
                + malformedRate
                + ", outOfOrder="
                + outOfOrderRate
                + ", duplicates="
                + duplicateRate
                + '}';
    }

    /** Mutable builder; every setter has the default documented on {@link FleetConfig}. */
    public static final class Builder {
        private long seed = 42L;
        private Instant start = Instant.parse("2026-01-01T00:00:00Z");
        private Duration duration = Duration.ofHours(2);
        private Duration tickInterval = Duration.ofSeconds(10);
        private int sensors = 12;
        private List<String> cities = new ArrayList<>(DEFAULT_CITIES);
        private int servers = 6;
        private int collectdServers = 2;
        private boolean anomaliesEnabled = true;
        private EnumMap<InjectionKind, Integer> anomaliesPerKind = defaultAnomalies();
        private int warmupTicks = 60;
        private double malformedRate = 0.005;
        private double outOfOrderRate = 0.0;
        private Duration outOfOrderMaxDelay = Duration.ofSeconds(30);
        private double duplicateRate = 0.0;
        private Duration maxReceiveDelay = Duration.ofMillis(500);
        private double detectorHalfLifePoints = 200.0;

        private Builder() {}

        private static EnumMap<InjectionKind, Integer> defaultAnomalies() {
            EnumMap<InjectionKind, Integer> m = new EnumMap<>(InjectionKind.class);
            for (InjectionKind kind : InjectionKind.values()) {
                m.put(kind, kind == InjectionKind.DRIFT ? 0 : 2);
            }
            return m;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder start(Instant v) {
            start = v;
            return this;
        }

        public Builder duration(Duration v) {
            duration = v;
            return this;
        }

        public Builder tickInterval(Duration v) {
            tickInterval = v;
            return this;
        }

        public Builder sensors(int v) {
            sensors = v;
            return this;
        }

        public Builder cities(List<String> v) {
            cities = new ArrayList<>(v);
            return this;
        }

        public Builder servers(int v) {
            servers = v;
            return this;
        }

        public Builder collectdServers(int v) {
            collectdServers = v;
            return this;
        }

        public Builder anomaliesEnabled(boolean v) {
            anomaliesEnabled = v;
            return this;
        }

        public Builder anomalies(InjectionKind kind, int count) {
            anomaliesPerKind.put(kind, count);
            return this;
        }

        public Builder warmupTicks(int v) {
            warmupTicks = v;
            return this;
        }

        public Builder malformedRate(double v) {
            malformedRate = v;
            return this;
        }

        public Builder outOfOrderRate(double v) {
            outOfOrderRate = v;
            return this;
        }

        public Builder outOfOrderMaxDelay(Duration v) {
            outOfOrderMaxDelay = v;
            return this;
        }

        public Builder duplicateRate(double v) {
            duplicateRate = v;
            return this;
        }

        public Builder maxReceiveDelay(Duration v) {
            maxReceiveDelay = v;
            return this;
        }

        public Builder detectorHalfLifePoints(double v) {
            detectorHalfLifePoints = v;
            return this;
        }

        /** Sets one setting by its configuration key (see {@link FleetConfig}). */
        public Builder set(String key, Object value) {
            String k = key.trim().toLowerCase(Locale.ROOT);
            String s = String.valueOf(value).trim();
            if (k.startsWith("anomalies.") && setAnomalyCount(k.substring(10), s)) {
                return this;
            }
            switch (k) {
                case "seed" -> seed = Long.parseLong(s);
                case "start" -> start = Instant.parse(s);
                case "duration" -> duration = parseDuration(s);
                case "tick-interval" -> tickInterval = parseDuration(s);
                case "sensors" -> sensors = Integer.parseInt(s);
                case "cities" -> cities = parseList(value);
                case "servers" -> servers = Integer.parseInt(s);
                case "collectd-servers" -> collectdServers = Integer.parseInt(s);
                case "anomalies", "anomalies.enabled" -> anomaliesEnabled = parseBoolean(k, s);
                case "anomalies.warmup-ticks" -> warmupTicks = Integer.parseInt(s);
                case "malformed-rate" -> malformedRate = Double.parseDouble(s);
                case "out-of-order-rate" -> outOfOrderRate = Double.parseDouble(s);
                case "out-of-order-max-delay" -> outOfOrderMaxDelay = parseDuration(s);
                case "duplicate-rate" -> duplicateRate = Double.parseDouble(s);
                case "max-receive-delay" -> maxReceiveDelay = parseDuration(s);
                case "detector-half-life-points" -> detectorHalfLifePoints = Double.parseDouble(s);
                default ->
                        throw new IllegalArgumentException(
                                "Unknown simulator setting '" + key + "'");
            }
            return this;
        }

        private boolean setAnomalyCount(String kindKey, String value) {
            for (InjectionKind kind : InjectionKind.values()) {
                if (kind.configKey().equals(kindKey)) {
                    anomaliesPerKind.put(kind, Integer.parseInt(value));
                    return true;
                }
            }
            return false;
        }

        public FleetConfig build() {
            return new FleetConfig(this);
        }
    }

    private static boolean parseBoolean(String key, String s) {
        if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(
                    "Invalid simulator setting '" + key + "': expected true or false, got " + s);
        }
        return Boolean.parseBoolean(s);
    }

    private static List<String> parseList(Object value) {
        if (value instanceof Collection) {
            List<String> out = new ArrayList<>();
            ((Collection<?>) value).forEach(v -> out.add(String.valueOf(v).trim()));
            return out;
        }
        return Arrays.stream(String.valueOf(value).split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /**
     * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT10S}).
     */
    static Duration parseDuration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            return Duration.parse(s.trim());
        }
        String[] units = {"ms", "s", "m", "h", "d"};
        for (String unit : units) {
            if (t.endsWith(unit) && isNumber(t.substring(0, t.length() - unit.length()))) {
                long n = Long.parseLong(t.substring(0, t.length() - unit.length()).trim());
                return switch (unit) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
        }
        throw new IllegalArgumentException(
                "Invalid duration '" + s + "': use e.g. 500ms, 10s, 5m, 2h, 1d or PT10S");
    }

    private static boolean isNumber(String s) {
        return !s.isBlank() && s.trim().chars().allMatch(Character::isDigit);
    }
}
