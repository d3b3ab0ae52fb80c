package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.ScoredPoint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The fleet-level detectors over the scored stream, as one stream of anomalies.
 *
 * <table>
 *   <caption>Operators (uid — name)</caption>
 *   <tr><td>{@value #UID_DEVICE_POINTS}</td><td>{@value #NAME_DEVICE_POINTS}</td></tr>
 *   <tr><td>{@value DeviceScoreFunction#UID}</td><td>{@value DeviceScoreFunction#NAME}</td></tr>
 *   <tr><td>{@value PopulationFunction#UID}</td><td>{@value PopulationFunction#NAME}</td></tr>
 * </table>
 *
 * Each detector is its own keyed shuffle of the device series (by device, by metric); series
 * without a device ({@link FleetKeys#device}) are filtered out first. The population detector is
 * left out of the graph when {@code fleet.population.enabled} is false.
 */
public final class Fleet {

    public static final String UID_DEVICE_POINTS = "fleet-device-points";
    public static final String NAME_DEVICE_POINTS = "fleet: points of devices";

    private Fleet() {}

    /** DEVICE and (when enabled) POPULATION anomalies of {@code scored}. */
    public static DataStream<Anomaly> detect(DataStream<ScoredPoint> scored, DetectionSettings s) {
        DataStream<ScoredPoint> devicePoints =
                scored.filter(FleetKeys::hasDevice).uid(UID_DEVICE_POINTS).name(NAME_DEVICE_POINTS);
        DataStream<Anomaly> devices =
                devicePoints
                        .keyBy(FleetKeys::device)
                        .process(new DeviceScoreFunction(s), TypeInformation.of(Anomaly.class))
                        .uid(DeviceScoreFunction.UID)
                        .name(DeviceScoreFunction.NAME);
        if (!s.populationEnabled) {
            return devices;
        }
        String[] memberTags = s.populationMemberTags;
        DataStream<Anomaly> populations =
                devicePoints
                        .keyBy(p -> FleetKeys.population(p, memberTags))
                        .process(new PopulationFunction(s), TypeInformation.of(Anomaly.class))
                        .uid(PopulationFunction.UID)
                        .name(PopulationFunction.NAME);
        return devices.union(populations);
    }
}
