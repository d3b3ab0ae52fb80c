package dev.vigil.pipeline.fleet;

import java.util.Arrays;

/**
 * One device's metrics within one event-time slice: one {@link MetricDeviation} per series (an
 * array of POJOs, so no Kryo). State of {@link DeviceScoreFunction}, keyed by slice end.
 */
public class DeviceSlice {

    private MetricDeviation[] metrics = new MetricDeviation[0];

    /** For serializers. */
    public DeviceSlice() {}

    /** Folds a series' summary (with warm points) into its metric's entry (added when new). */
    void observe(SeriesSlice s) {
        long seriesId = s.getSeriesId();
        for (MetricDeviation m : metrics) {
            if (m.getSeriesId() == seriesId) {
                m.observe(s);
                return;
            }
        }
        MetricDeviation added = MetricDeviation.of(s);
        metrics = Arrays.copyOf(metrics, metrics.length + 1);
        metrics[metrics.length - 1] = added;
    }

    public MetricDeviation[] getMetrics() {
        return metrics;
    }

    public void setMetrics(MetricDeviation[] metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof DeviceSlice && Arrays.equals(metrics, ((DeviceSlice) o).metrics));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(metrics);
    }
}
