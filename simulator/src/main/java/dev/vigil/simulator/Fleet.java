package dev.vigil.simulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated devices of a {@link FleetConfig}: sensors {@code dev-<city>-<n>} placed round-robin
 * over the cities, line-protocol hosts {@code web-1..} and collectd hosts {@code db-1..}.
 */
public final class Fleet {

    private final List<SimDevice> devices;
    private final Map<String, SeriesModel> seriesByKey = new LinkedHashMap<>();

    public Fleet(FleetConfig config) {
        List<SimDevice> all = new ArrayList<>();
        for (int i = 0; i < config.sensors(); i++) {
            all.add(SensorDevice.create(i, config));
        }
        for (int i = 1; i <= config.lineProtocolServers(); i++) {
            all.add(LineProtocolHost.create("web-" + i, config));
        }
        for (int i = 1; i <= config.collectdServers(); i++) {
            all.add(CollectdHost.create("db-" + i, config));
        }
        devices = List.copyOf(all);
        for (SimDevice device : devices) {
            for (SeriesModel s : device.series()) {
                if (seriesByKey.put(s.seriesKey(), s) != null) {
                    throw new IllegalStateException("duplicate series " + s.seriesKey());
                }
            }
        }
    }

    public List<SimDevice> devices() {
        return devices;
    }

    /** All series of the fleet, device by device. */
    public List<SeriesModel> series() {
        return List.copyOf(seriesByKey.values());
    }

    /** The series with this {@link SeriesModel#seriesKey() key}, or {@code null}. */
    public SeriesModel series(String seriesKey) {
        return seriesByKey.get(seriesKey);
    }

    /** Messages sent per tick when every device reports. */
    public int messagesPerTick() {
        return devices.stream().mapToInt(SimDevice::messagesPerTick).sum();
    }
}
