package dev.vigil.pipeline.nab;

import dev.vigil.pipeline.config.VigilConfig;
import dev.vigil.pipeline.replay.Replay;
import dev.vigil.pipeline.replay.ReplayInput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The job as a NAB detector: on first use, replays EVERY file of the corpus through the job graph
 * in one bounded run (the {@code ./vigil replay} code path, files interleaved by time, one series
 * each), then answers per file.
 */
public final class NabReplayDetector implements Function<NabFile, double[]> {

    private final VigilConfig config;
    private final Path nabRoot;
    private final Path labelsFile;
    private Map<String, double[]> scores;

    /**
     * @param labelsFile null → the corpus' own labels
     */
    public NabReplayDetector(VigilConfig config, Path nabRoot, Path labelsFile) {
        this.config = config;
        this.nabRoot = nabRoot;
        this.labelsFile = labelsFile;
    }

    @Override
    public double[] apply(NabFile file) {
        if (scores == null) {
            prepare(
                    labelsFile == null
                            ? NabCorpus.load(nabRoot)
                            : NabCorpus.load(nabRoot, labelsFile));
        }
        double[] s = scores.get(file.name());
        if (s == null) {
            throw new IllegalArgumentException("no replay scores for " + file.name());
        }
        return s;
    }

    /** Replays every file of the corpus in one job. */
    public NabReplayDetector prepare(NabCorpus corpus) {
        try {
            List<ReplayInput> inputs = new ArrayList<>();
            for (NabFile file : corpus.files()) {
                Path csv = nabRoot.resolve(NabCorpus.DATA_DIR).resolve(file.name());
                inputs.add(ReplayInput.readCsv(csv, ReplayInput.sanitize(file.name())));
            }
            List<Replay.Result> results = Replay.runAll(config, inputs);
            scores = new HashMap<>();
            for (int i = 0; i < results.size(); i++) {
                scores.put(corpus.files().get(i).name(), results.get(i).csvRowScores());
            }
            return this;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "Replaying the NAB corpus failed: " + e.getMessage(), e);
        }
    }
}
