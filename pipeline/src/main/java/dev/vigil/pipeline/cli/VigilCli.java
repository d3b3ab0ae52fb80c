package dev.vigil.pipeline.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./vigil}: the launcher's entry point; each subcommand is a small class that only wires.
 */
@Command(
        name = "vigil",
        mixinStandardHelpOptions = true,
        version = "vigil 0.1.0",
        description = "Streaming anomaly detection for IoT and server telemetry on Apache Flink.",
        subcommands = {
            DemoCommand.class,
            ReplayCommand.class,
            NabCliCommand.class,
            CommandLine.HelpCommand.class
        })
public final class VigilCli implements Runnable {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        return new CommandLine(new VigilCli())
                .setExecutionExceptionHandler(VigilCli::explain)
                .execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Errors a user can cause are printed as one clear sentence; anything else with its stack
     * trace.
     */
    private static int explain(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable cause = rootUserError(e);
        if (cause != null) {
            cmd.getErr().println("vigil: " + cause.getMessage());
            return 2;
        }
        e.printStackTrace(cmd.getErr());
        return 1;
    }

    private static Throwable rootUserError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException) {
                return t;
            }
        }
        return null;
    }
}
