package org.tamer.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** Every command answers --help (publish included), and every option says what it does and its default. */
class CliHelpTest {

    @Test
    void everyCommandExplainsEveryOption() {
        Map<String, CommandLine> commands = new CommandLine(new TamerCli()).getSubcommands();
        assertTrue(commands.size() >= 8, commands.keySet().toString());
        for (Map.Entry<String, CommandLine> command : commands.entrySet()) {
            String help = help(command.getKey(), "--help");
            assertTrue(help.startsWith("Usage: tamer-train " + command.getKey()), help);
            for (OptionSpec option : command.getValue().getCommandSpec().options()) {
                String description = String.join(" ", option.description());
                assertTrue(!description.isBlank(), command.getKey() + " " + option.longestName() + " has no description");
                assertTrue(help.contains(option.longestName()), command.getKey() + ": " + option.longestName());
                if (option.defaultValue() != null && !option.usageHelp() && !option.versionHelp()) {
                    assertTrue(help.contains("Default: " + option.defaultValue()), command.getKey() + " "
                            + option.longestName() + " shows its default " + option.defaultValue() + ":\n" + help);
                }
            }
        }
        assertTrue(help("publish", "--help").contains("--version=<version>"), "publish's --version is the bundle's");
    }

    @Test
    void validatesArgumentsBeforeLoadingAnything() {
        PrintStream original = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(1, TamerCli.run("pretrain", "--dataset", "/nonexistent/dataset", "--run", "/nonexistent/run",
                    "--batch-size", "1"));
            assertEquals(1, TamerCli.run("pretrain", "--dataset", "/nonexistent/dataset", "--run", "/nonexistent/run",
                    "--workers", "0"));
            assertEquals(1, TamerCli.run("pretrain", "--dataset", "/nonexistent/dataset", "--run", "/nonexistent/run"));
        } finally {
            System.setErr(original);
        }
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("contrastive losses need batches of at least 2, got 1"), said);
        assertTrue(said.contains("workers (0)"), said);
        assertTrue(said.contains("/nonexistent/dataset is not a dataset: it has no manifest.json"), said);
    }

    private static String help(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, TamerCli.run(args), String.join(" ", args));
        } finally {
            System.setOut(original);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
