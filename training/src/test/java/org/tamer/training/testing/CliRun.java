package org.tamer.training.testing;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.tamer.training.cli.TamerCli;

/**
 * One in-process run of {@code bin/tamer-train}: its exit code and everything it printed (standard output and
 * standard error interleaved, as a user's terminal shows them).
 */
public record CliRun(int code, String output) {

    /** Runs the CLI with these arguments, capturing both streams; the JVM's streams are restored afterwards. */
    public static CliRun of(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        System.setOut(both);
        System.setErr(both);
        try {
            int code = TamerCli.run(args);
            return new CliRun(code, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
