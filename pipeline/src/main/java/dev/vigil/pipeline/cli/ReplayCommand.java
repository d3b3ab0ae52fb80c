package dev.vigil.pipeline.cli;

import dev.vigil.pipeline.replay.Replay;
import dev.vigil.pipeline.replay.ReplayFormat;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description =
                "Runs the job graph in bounded mode over a file and writes per-row anomaly scores"
                        + " (CSV input: timestamp,value,anomaly_score in input order) and the anomalies.")
final class ReplayCommand implements Callable<Integer> {

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "Input file.")
    Path input;

    @Option(
            names = "--format",
            paramLabel = "csv|jsonl|lp",
            description = "Input format (default: from the file extension).")
    String format;

    @Option(
            names = "--scores",
            required = true,
            paramLabel = "OUT.csv",
            description = "Scores output.")
    Path scores;

    @Option(
            names = "--anomalies",
            paramLabel = "OUT.jsonl",
            description = "Anomalies as JSON lines.")
    Path anomalies;

    @Mixin ConfigOptions config;

    @Override
    public Integer call() throws Exception {
        ReplayFormat f = format == null ? ReplayFormat.guess(input) : ReplayFormat.of(format);
        Replay.Result result = Replay.run(config.load(), input, f);
        Replay.write(result, scores, anomalies, System.out);
        return 0;
    }
}
