package dev.vigil.pipeline.local;

import dev.vigil.common.model.MetricPoint;
import dev.vigil.common.model.Reject;
import dev.vigil.pipeline.model.Anomaly;
import dev.vigil.pipeline.model.ScoredPoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** Keeps every output of a local run in memory (thread-safe lists), for replays and tests. */
public final class CollectingListener implements LocalRun.Listener {

    public final List<ScoredPoint> scored = Collections.synchronizedList(new ArrayList<>());
    public final List<Anomaly> anomalies = Collections.synchronizedList(new ArrayList<>());
    public final List<Reject> rejects = Collections.synchronizedList(new ArrayList<>());
    public final List<MetricPoint> late = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void onScored(ScoredPoint point) {
        scored.add(point);
    }

    @Override
    public void onAnomaly(Anomaly anomaly) {
        anomalies.add(anomaly);
    }

    @Override
    public void onReject(Reject reject) {
        rejects.add(reject);
    }

    @Override
    public void onLate(MetricPoint point) {
        late.add(point);
    }

    /** Anomalies ordered by start time, then series: a stable order for output and assertions. */
    public List<Anomaly> sortedAnomalies() {
        List<Anomaly> sorted = new ArrayList<>(anomalies);
        sorted.sort(Comparator.comparingLong(Anomaly::getStart).thenComparing(Anomaly::seriesKey));
        return sorted;
    }
}
