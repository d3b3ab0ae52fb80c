package dev.vigil.pipeline.cli;

import dev.vigil.pipeline.nab.NabCommand;
import dev.vigil.pipeline.nab.NabReplayDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "nab",
        mixinStandardHelpOptions = true,
        description =
                "Scores the job's detection on a Numenta Anomaly Benchmark corpus: replays every data file through"
                        + " the job graph (the replay code path) and prints NAB scores per profile and per file.")
final class NabCliCommand implements Callable<Integer> {

    @Option(
            names = "--data",
            required = true,
            paramLabel = "DIR",
            description = "NAB root (with data/, labels/, config/) or its data/ folder.")
    Path data;

    @Option(
            names = "--labels",
            paramLabel = "FILE",
            description = "combined_windows.json (default: under the root).")
    Path labels;

    @Option(
            names = "--profiles",
            paramLabel = "FILE",
            description = "profiles.json (default: under the root).")
    Path profiles;

    @Mixin ConfigOptions config;

    @Override
    public Integer call() {
        Path root =
                Files.isDirectory(data.resolve("data")) ? data : data.toAbsolutePath().getParent();
        if (root == null || !Files.isDirectory(root.resolve("data"))) {
            throw new IllegalArgumentException(
                    data
                            + " is not a NAB corpus: expected a folder with data/<category>/<file>.csv.");
        }
        NabReplayDetector detector = new NabReplayDetector(config.load(), root, labels);
        return NabCommand.run(root, labels, profiles, detector, System.out);
    }
}
