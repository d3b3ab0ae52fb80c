package dev.vigil.pipeline.fleet;

import dev.vigil.pipeline.config.DetectionSettings;
import dev.vigil.pipeline.model.Anomaly;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.util.Collector;

/**
 * The fleet-level detectors over the per-series slice summaries, as one stream of anomalies.
 *
 * <table>
 *   <caption>Operators (uid — name)</caption>
 *   <tr><td>{@value #DEVICE_SLICES_UID}</td><td>{@value #DEVICE_SLICES_NAME}</td></tr>
 *   <tr><td>{@value DeviceScoreFunction#UID}</td><td>{@value DeviceScoreFunction#NAME}</td></tr>
 *   <tr><td>{@value #POPULATION_SLICES_UID}</td><td>{@value #POPULATION_SLICES_NAME}</td></tr>
 *   <tr><td>{@value PopulationFunction#UID}</td><td>{@value PopulationFunction#NAME}</td></tr>
 * </table>
 *
 * Each device series' points are first summarized per slice where they are scored ({@link
 * FleetSlicer}, inside the scoring operator, side output {@code ScoringFunction.FLEET_SLICES};
 * series without a device ({@link FleetKeys#device}) take no part), then each detector is its own
 * keyed shuffle of those summaries (by device, by metric). Before its shuffle, a stateless step
 * chained to the scoring operator keeps the slices the detector reads and gives them the type of
 * that shuffle, whose serializer writes only the fields that detector reads ({@link
 * DeviceEdgeSerializer}, {@link PopulationEdgeSerializer}; the full slice was serialized for both).
 * The population detector is left out of the graph when {@code fleet.population.enabled} is false.
 */
public final class Fleet {

    public static final String DEVICE_SLICES_UID = "fleet-device-slices";
    public static final String DEVICE_SLICES_NAME = "fleet: slices for the device score";
    public static final String POPULATION_SLICES_UID = "fleet-population-slices";
    public static final String POPULATION_SLICES_NAME = "fleet: slices for the population";

    private Fleet() {}

    /** DEVICE and (when enabled) POPULATION anomalies of the series' slice summaries. */
    public static DataStream<Anomaly> detect(DataStream<SeriesSlice> slices, DetectionSettings s) {
        DataStream<Anomaly> devices =
                slices.flatMap(new DeviceSlices(), DeviceEdgeSerializer.TYPE)
                        .uid(DEVICE_SLICES_UID)
                        .name(DEVICE_SLICES_NAME)
                        .keyBy(SeriesSlice::getDevice)
                        .transform(
                                DeviceScoreFunction.NAME,
                                TypeInformation.of(Anomaly.class),
                                new DeviceScoreOperator(s))
                        .uid(DeviceScoreFunction.UID)
                        .name(DeviceScoreFunction.NAME);
        if (!s.populationEnabled) {
            return devices;
        }
        DataStream<Anomaly> populations =
                slices.flatMap(new PopulationSlices(), PopulationEdgeSerializer.TYPE)
                        .uid(POPULATION_SLICES_UID)
                        .name(POPULATION_SLICES_NAME)
                        .keyBy(SeriesSlice::getPopulation)
                        .process(new PopulationFunction(s), TypeInformation.of(Anomaly.class))
                        .uid(PopulationFunction.UID)
                        .name(PopulationFunction.NAME);
        return devices.union(populations);
    }

    /** The slices {@link DeviceScoreFunction} reads, unchanged. */
    static final class DeviceSlices implements FlatMapFunction<SeriesSlice, SeriesSlice> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(SeriesSlice s, Collector<SeriesSlice> out) {
            if (DeviceScoreFunction.takes(s)) {
                out.collect(s);
            }
        }
    }

    /** The slices {@link PopulationFunction} reads, unchanged. */
    static final class PopulationSlices implements FlatMapFunction<SeriesSlice, SeriesSlice> {
        private static final long serialVersionUID = 1L;

        @Override
        public void flatMap(SeriesSlice s, Collector<SeriesSlice> out) {
            if (PopulationFunction.takes(s)) {
                out.collect(s);
            }
        }
    }
}
