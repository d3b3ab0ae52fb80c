package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * The fleet-level detectors over the per-series slice summaries, as one stream of anomalies.
 *
 * <table>
 *   <caption>Operators (uid — name)</caption>
 *   <tr><td>{@value DeviceScoreFunction#UID}</td><td>{@value DeviceScoreFunction#NAME}</td></tr>
 *   <tr><td>{@value PopulationFunction#UID}</td><td>{@value PopulationFunction#NAME}</td></tr>
 * </table>
 *
 * Each device series' points are first summarized per slice where they are scored ({@link
 * FleetSlicer}, inside the scoring operator, side output {@code ScoringFunction.FLEET_SLICES};
 * series without a device ({@link FleetKeys#device}) take no part), then each detector is its own
 * keyed shuffle of those summaries (by device, by metric). The population detector is left out of
 * the graph when {@code fleet.population.enabled} is false.
 */
public final class Fleet {

    private Fleet() {}

    /** DEVICE and (when enabled) POPULATION anomalies of the series' slice summaries. */
    public static DataStream<Anomaly> detect(DataStream<SeriesSlice> slices, DetectionSettings s) {
        DataStream<Anomaly> devices =
                slices.keyBy(SeriesSlice::getDevice)
                        .process(new DeviceScoreFunction(s), TypeInformation.of(Anomaly.class))
                        .uid(DeviceScoreFunction.UID)
                        .name(DeviceScoreFunction.NAME);
        if (!s.populationEnabled) {
            return devices;
        }
        DataStream<Anomaly> populations =
                slices.keyBy(SeriesSlice::getPopulation)
                        .process(new PopulationFunction(s), TypeInformation.of(Anomaly.class))
                        .uid(PopulationFunction.UID)
                        .name(PopulationFunction.NAME);
        return devices.union(populations);
    }
}
