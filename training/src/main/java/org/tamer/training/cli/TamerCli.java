package org.tamer.training.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The training command-line tool: {@code tamer-train <command> [options]}; {@code --help} on each command. */
@Command(name = "tamer-train", mixinStandardHelpOptions = true, version = "tamer-train 0.1.0",
        description = "Build tri-modal datasets, pre-train TAMER, evaluate zero-shot and publish model bundles.",
        subcommands = {BuildDatasetCommand.class, PretrainCommand.class, EvaluateCommand.class, PublishCommand.class,
            CalibrateCommand.class, EmbedCommand.class, PlotCommand.class, RetrainCommand.class})
public final class TamerCli implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        System.exit(run(args));
    }

    /** Runs the tool and returns its exit code (for tests and embedding). */
    public static int run(String... args) {
        return new CommandLine(new TamerCli()).setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("tamer-train " + cmd.getCommandName() + ": " + e.getMessage());
            return 1;
        }).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
