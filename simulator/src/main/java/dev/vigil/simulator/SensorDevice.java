package dev.vigil.simulator;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An IoT environment sensor: JSON on {@code sensors/<device>/telemetry}, e.g. {@code
 * {"id":"CITIMUM1","temperature":20.04,"humidity":32.06,"timestamp":1767225600000,"city":"Mumbai"}}
 * (timestamp in epoch milliseconds). The job's parser turns it into series {@code environment} with
 * tags city, device, id and fields temperature, humidity.
 */
final class SensorDevice extends SimDevice {

    static final String MEASUREMENT = "environment";

    /** Typical January level per city: {temperature °C, humidity %}. */
    private static final Map<String, double[]> CITY_CLIMATE =
            Map.of(
                    "Mumbai", new double[] {28, 60},
                    "Delhi", new double[] {21, 45},
                    "Chennai", new double[] {29, 58},
                    "Kolkata", new double[] {24, 55},
                    "Bengaluru", new double[] {23, 50},
                    "Hyderabad", new double[] {25, 42},
                    "Pune", new double[] {25, 48},
                    "Ahmedabad", new double[] {24, 40},
                    "Jaipur", new double[] {21, 38},
                    "Lucknow", new double[] {21, 47});

    /** India is UTC+5:30: warmest at 15:00 local, most humid at 05:00 local. */
    private static final double TEMPERATURE_PEAK_UTC = 9.5;

    private static final double HUMIDITY_PEAK_UTC = 23.5;

    private final String id;
    private final String city;

    private SensorDevice(String name, String id, String city, List<SeriesModel> series) {
        super(name, series);
        this.id = id;
        this.city = city;
    }

    /** Sensor number {@code index} (0-based) placed round-robin over the configured cities. */
    static SensorDevice create(int index, FleetConfig config) {
        List<String> cities = config.cities();
        String city = cities.get(index % cities.size());
        int number = index / cities.size() + 1;
        String abbrev = abbreviation(city);
        String name = "dev-" + abbrev.toLowerCase(Locale.ROOT) + "-" + number;
        String id = "CITI" + abbrev + number;
        double[] climate = CITY_CLIMATE.getOrDefault(city, new double[] {25, 50});
        double jitter = Noise.uniform(config.seed(), Noise.hashString(name)) * 2.0 - 1.0;
        String[] tags = {"city", city, "device", name, "id", id};
        SeriesModel temperature =
                SeriesModel.of(
                        new SeriesModel.Spec(name, MEASUREMENT, "temperature", tags)
                                .level(climate[0] + jitter, 3.0, TEMPERATURE_PEAK_UTC)
                                .noise(0.3),
                        config);
        SeriesModel humidity =
                SeriesModel.of(
                        new SeriesModel.Spec(name, MEASUREMENT, "humidity", tags)
                                .level(climate[1] + 3.0 * jitter, 6.0, HUMIDITY_PEAK_UTC)
                                .noise(1.0),
                        config);
        return new SensorDevice(name, id, city, List.of(temperature, humidity));
    }

    private static String abbreviation(String city) {
        String letters = city.replaceAll("[^A-Za-z]", "").toUpperCase(Locale.ROOT);
        return letters.length() >= 3 ? letters.substring(0, 3) : (letters + "XXX").substring(0, 3);
    }

    String topic() {
        return "sensors/" + name() + "/telemetry";
    }

    @Override
    public int messagesPerTick() {
        return 1;
    }

    @Override
    List<RawMessage> render(long eventMs, double[] values) {
        return List.of(new RawMessage(topic(), json(eventMs, values)));
    }

    private String json(long eventMs, double[] values) {
        return "{\"id\":\""
                + Json.escape(id)
                + "\",\"temperature\":"
                + series().get(0).format(values[0])
                + ",\"humidity\":"
                + series().get(1).format(values[1])
                + ",\"timestamp\":"
                + eventMs
                + ",\"city\":\""
                + Json.escape(city)
                + "\"}";
    }

    @Override
    MalformedKind malformedKind() {
        return MalformedKind.TRUNCATED_JSON;
    }

    @Override
    RawMessage malformed(long eventMs, double[] values) {
        String json = json(eventMs, values);
        return new RawMessage(topic(), json.substring(0, json.length() / 2));
    }
}
