package org.tamer.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.training.testing.PtbXlSubset;

/**
 * Ctrl-C in the middle of a training step, to a real child JVM running {@code tamer-train pretrain}: the step
 * finishes, a checkpoint is written, the tool says so and exits with 130; {@code pretrain --run R --resume} (no
 * other option: run.json keeps them) then continues, and every step's losses equal those of a run that was never
 * interrupted.
 */
class PretrainSignalIT {

    @Test
    void stopsCleanlyOnSigintAndResumesBitExactlyFromTheRunFolderAlone(@TempDir Path work) throws Exception {
        Path ptbXl = PtbXlSubset.write(work.resolve("ptbxl"), 60);
        Path dataset = work.resolve("dataset");
        assertEquals(0, TamerCli.run("build-dataset", "--source", "ptbxl", "--input", ptbXl.toString(), "--output",
                dataset.toString(), "--shard-size", "8"));
        List<String> options = List.of("--dataset", dataset.toString(), "--architecture", "compact", "--batch-size",
                "3", "--epochs", "3", "--learning-rate", "1e-3", "--seed", "7", "--checkpoint-every", "1000",
                "--workers", "2");

        Path reference = work.resolve("reference");
        Process uninterrupted = pretrain(work, reference, options);
        assertEquals(0, uninterrupted.waitFor(), output(work, reference));
        List<JsonObject> expected = log(reference);
        // about 20 training examples among the first 60 records (the MERL split): 6-7 steps per epoch
        assertTrue(expected.size() >= 12, "steps: " + expected.size() + "; manifest: "
                + Files.readString(dataset.resolve("manifest.json")));

        Path interrupted = work.resolve("interrupted");
        Process child = pretrain(work, interrupted, options);
        Path logFile = interrupted.resolve("train-log.jsonl");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (lines(logFile) < 2 && child.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(child.isAlive(), "still training after two steps: " + output(work, interrupted));
        // step 3 is running now (batches are prepared ahead, the next step starts as soon as a line is written)
        assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor());
        assertTrue(child.waitFor(10, TimeUnit.MINUTES), "stops after the step");
        String said = output(work, interrupted);
        assertEquals(130, child.exitValue(), said);
        assertTrue(said.contains("pretrain: stopped on request after step "), said);
        assertTrue(!said.contains("SIGSEGV") && !said.contains("hs_err"), said);
        int stoppedAt = JsonParser.parseString(Files.readString(interrupted.resolve("checkpoint/state.json")))
                .getAsJsonObject().get("step").getAsInt();
        assertTrue(stoppedAt >= 2 && stoppedAt < expected.size(), "checkpoint at step " + stoppedAt);
        assertEquals(stoppedAt, log(interrupted).size(), "every finished step logged, no later one");

        Process resumed = pretrain(work, interrupted, List.of("--resume"));
        assertEquals(0, resumed.waitFor(), output(work, interrupted));
        assertTrue(output(work, interrupted).contains("pretrain: resuming at step " + stoppedAt),
                output(work, interrupted));
        List<JsonObject> actual = log(interrupted);
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            for (String term : List.of("total", "rlca", "uecr", "rada", "rgwr")) {
                assertEquals(expected.get(i).get(term).getAsFloat(), actual.get(i).get(term).getAsFloat(),
                        term + " at step " + (i + 1) + " after a SIGINT at step " + (stoppedAt + 1));
            }
        }
    }

    private static Process pretrain(Path work, Path run, List<String> options) throws IOException {
        List<String> command = new ArrayList<>();
        if (interruptIgnored()) {
            // a background job of a non-interactive shell (nohup, `cmd &`) starts with SIGINT ignored, the child
            // inherits that and the JVM keeps it (so that nohup'd programs stay immune): restore the default first
            command.addAll(List.of("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die \"exec: $!\"", "--"));
        }
        command.addAll(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx1g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                "org.tamer.training.cli.TamerCli", "pretrain", "--run", run.toString()));
        command.addAll(options);
        Files.createDirectories(work);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(run.getFileName() + ".out").toFile()))
                .start();
    }

    /** Whether this process was started with SIGINT ignored (bit 2 of the SigIgn mask of /proc/self/status). */
    private static boolean interruptIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return false;
        }
        for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 0b10) != 0;
            }
        }
        return false;
    }

    private static String output(Path work, Path run) throws IOException {
        Path file = work.resolve(run.getFileName() + ".out");
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }

    private static long lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> l.endsWith("}")).count();
    }

    private static List<JsonObject> log(Path run) throws IOException {
        return Files.readAllLines(run.resolve("train-log.jsonl"), StandardCharsets.UTF_8).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }
}
