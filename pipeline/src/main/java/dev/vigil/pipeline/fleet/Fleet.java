package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.ScoredPoint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;

/**
 * The fleet-level detectors over the scored stream (keyed by series), as one stream of anomalies.
 *
 * <table>
 *   <caption>Operators (uid — name)</caption>
 *   <tr><td>{@value SeriesSliceFunction#UID}</td><td>{@value SeriesSliceFunction#NAME}</td></tr>
 *   <tr><td>{@value DeviceScoreFunction#UID}</td><td>{@value DeviceScoreFunction#NAME}</td></tr>
 *   <tr><td>{@value PopulationFunction#UID}</td><td>{@value PopulationFunction#NAME}</td></tr>
 * </table>
 *
 * Each series' points are first summarized per slice where they are ({@link SeriesSliceFunction},
 * chained to the scoring operator; series without a device ({@link FleetKeys#device}) take no
 * part), then each detector is its own keyed shuffle of those summaries (by device, by metric). The
 * population detector is left out of the graph when {@code fleet.population.enabled} is false.
 */
public final class Fleet {

    private Fleet() {}

    /** DEVICE and (when enabled) POPULATION anomalies of {@code scored}. */
    public static DataStream<Anomaly> detect(
            KeyedStream<ScoredPoint, Long> scored, DetectionSettings s) {
        DataStream<SeriesSlice> slices =
                scored.process(new SeriesSliceFunction(s), TypeInformation.of(SeriesSlice.class))
                        .uid(SeriesSliceFunction.UID)
                        .name(SeriesSliceFunction.NAME);
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
