package dev.vigil.pipeline.cli;

import dev.vigil.pipeline.config.VigilConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --config FILE} and {@code --set key=value} options every command shares. */
public final class ConfigOptions {

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "YAML file with settings (see the README's configuration reference).")
    Path file;

    @Option(
            names = "--set",
            paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set detector.band-k=4 (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    public VigilConfig load() {
        return VigilConfig.load(file, overrides);
    }
}
