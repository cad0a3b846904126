package org.tamer.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.Pretrainer;
import org.tamer.training.RunConfiguration;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.DatasetBuilderTestAccess;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.testing.CliRun;

/**
 * A learning rate of 1e30 moves every parameter by about 1e30 in the first update (Adam's first step is the rate
 * times the sign of the gradient), so the second step's loss overflows: the run stops naming that step, exits
 * non-zero, leaves a checkpoint whose parameters are all finite (not the diverged ones) and prints the resume
 * command, which continues with finite losses at a lower learning rate.
 */
class NonFiniteLossTest {

    @Test
    void stopsWithAFiniteCheckpointAndAResumeCommandThatWorks(@TempDir Path work) throws Exception {
        Path dataset = work.resolve("dataset");
        ComputeEngine engine = ComputeEngine.load();
        try (TextEncoder encoder = TextEncoder.embeddedDefault(engine.device())) {
            new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                    "salt", 64, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .build(DatasetBuilderTestAccess.firstRecords(20), dataset);
        }
        Path run = work.resolve("run");
        CliRun diverged = CliRun.of("pretrain", "--dataset", dataset.toString(), "--run", run.toString(),
                "--architecture", "compact", "--batch-size", "4", "--epochs", "4", "--learning-rate", "1e30",
                "--checkpoint-every", "1", "--seed", "3");
        assertEquals(1, diverged.code(), diverged.output());

        List<JsonObject> log = log(run);
        int firstNonFinite = -1;
        for (JsonObject line : log) {
            if (!Double.isFinite(line.get("total").getAsDouble())) {
                firstNonFinite = line.get("step").getAsInt();
                break;
            }
        }
        assertTrue(firstNonFinite >= 2, "the first step's loss comes from the initial network: " + log);
        assertEquals(firstNonFinite, log.get(log.size() - 1).get("step").getAsInt(), "the run stopped there");
        assertTrue(diverged.output().contains("at step " + firstNonFinite + ";"), diverged.output());

        // the state before the update of the last finite step: its parameters gave a finite loss
        JsonObject state = JsonParser.parseString(Files.readString(run.resolve(Pretrainer.CHECKPOINT)
                .resolve("state.json"))).getAsJsonObject();
        assertEquals(firstNonFinite - 2, state.get("step").getAsLong());
        assertAllParametersFinite(run);

        Matcher command = Pattern.compile("with: bin/tamer-train (pretrain [^\\n]*)").matcher(diverged.output());
        assertTrue(command.find(), diverged.output());
        List<String> resume = new ArrayList<>(Arrays.asList(command.group(1).strip().split(" ")));
        assertEquals(List.of("pretrain", "--run", run.toString(), "--resume", "--learning-rate", "1E+29"), resume);
        // as printed, but at a rate that does not diverge at once (1e29 still would)
        resume.set(5, "1e-4");
        resume.addAll(List.of("--max-steps", "3"));
        CliRun resumed = CliRun.of(resume.toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.output());
        List<JsonObject> after = log(run);
        for (int i = 0; i < after.size(); i++) {
            assertEquals(i + 1, after.get(i).get("step").getAsInt(), "each step once: " + after);
            assertTrue(Double.isFinite(after.get(i).get("total").getAsDouble()), after.get(i).toString());
        }
        assertEquals(firstNonFinite - 2 + 3, after.size());
        assertEquals(1e-4f, JsonParser.parseString(Files.readString(run.resolve(RunConfiguration.FILE)))
                .getAsJsonObject().getAsJsonObject("options").get("--learning-rate").getAsFloat(),
                "run.json records the rate the run continues with");
    }

    private static void assertAllParametersFinite(Path run) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            TamerNetwork network = new TamerNetwork(RunConfiguration.read(run).network());
            network.initialize(manager);
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(
                    run.resolve(Pretrainer.CHECKPOINT).resolve("parameters.bin"))))) {
                network.loadParameters(manager, in);
            }
            for (Pair<String, Parameter> parameter : network.getParameters()) {
                float[] values = parameter.getValue().getArray().toType(ai.djl.ndarray.types.DataType.FLOAT32,
                        false).toFloatArray();
                for (float v : values) {
                    assertTrue(Float.isFinite(v), parameter.getKey() + " holds " + v);
                }
            }
        }
    }

    private static List<JsonObject> log(Path run) throws Exception {
        List<JsonObject> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(Pretrainer.LOG))) {
            lines.add(JsonParser.parseString(line).getAsJsonObject());
        }
        return lines;
    }
}
