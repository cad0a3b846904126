package org.tamer.gateway.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shell commands of a Markdown document's {@code ```sh} blocks, as a reader copies them (a line ending in a
 * backslash continues on the next), and a way to run one with bash in the repository root against a gateway the
 * test started: {@code http://localhost:8080} becomes the gateway's loopback address and {@code ../shared/data} the
 * shared data the tests read, nothing else is changed.
 */
final class DocumentedCommands {

    static final Path ROOT = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();

    private DocumentedCommands() {
    }

    /** A command as documented, and the heading of the section it stands in. */
    record Command(String section, String text) {
    }

    /** The result of running a command: its exit code, standard output and standard error. */
    record Run(int exitCode, String out, String err) {
    }

    /** Every command of every {@code ```sh} block in {@code document} (relative to the repository root). */
    static List<Command> of(String document) throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(document), StandardCharsets.UTF_8);
        List<Command> commands = new ArrayList<>();
        String section = "";
        boolean inBlock = false;
        StringBuilder pending = new StringBuilder();
        for (String line : lines) {
            String trimmed = line.strip();
            if (!inBlock && line.startsWith("#")) {
                section = line.replaceFirst("^#+\\s*", "");
            } else if (!inBlock && trimmed.equals("```sh")) {
                inBlock = true;
            } else if (inBlock && trimmed.equals("```")) {
                inBlock = false;
                if (!pending.isEmpty()) {
                    throw new IllegalStateException(document + ": a command in '" + section + "' ends in a backslash");
                }
            } else if (inBlock && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                if (trimmed.endsWith("\\")) {
                    pending.append(trimmed, 0, trimmed.length() - 1).append(' ');
                } else {
                    pending.append(trimmed);
                    commands.add(new Command(section, pending.toString().replaceAll("\\s+", " ")));
                    pending.setLength(0);
                }
            }
        }
        return commands;
    }

    /** {@code command} with the documented gateway address and data folder replaced by the test's. */
    static String localised(String command, int httpPort) {
        return command.replace("http://localhost:8080", "http://127.0.0.1:" + httpPort)
                .replace("../shared/data/", org.tamer.runtime.testdata.SharedData.root().toAbsolutePath() + "/");
    }

    /**
     * Runs {@code script} with bash in {@code directory}, with {@code environment} added; ended after 5 minutes
     * without output.
     */
    static Run bash(String script, Path directory, Map<String, String> environment) throws IOException,
            InterruptedException {
        Path out = Files.createTempFile("documented-command", ".out");
        Path err = Files.createTempFile("documented-command", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script)
                    .directory(directory.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            // the wait goes on while the command writes; 5 minutes without output end it
            try {
                ProgressWait.until("the documented command " + script, () -> !process.isAlive(),
                        () -> out.toFile().length() + err.toFile().length(), Duration.ofMinutes(5));
            } catch (AssertionError stalled) {
                process.destroyForcibly().waitFor();
                throw stalled;
            }
            return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
