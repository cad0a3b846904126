package org.tamer.training.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerConfig;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.Pretrainer;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.DatasetBuilderTestAccess;
import org.tamer.training.dataset.ReportCleaner;

/**
 * Each ablation switch of {@code pretrain}, two steps on real PTB-XL pairs with the compact network: a switched-off
 * loss term is absent from every log line and the logged total is the sum of the logged remaining terms (added
 * here); the architecture switches leave a checkpoint that fits only the network without the switched-off part.
 */
class PretrainAblationTest {

    private static final List<String> TERMS = List.of("rlca", "uecr", "rada", "rgwr");
    private static Path dataset;

    @BeforeAll
    static void buildDataset(@TempDir Path dir) {
        ComputeEngine engine = ComputeEngine.load();
        try (TextEncoder encoder = TextEncoder.embeddedDefault(engine.device())) {
            new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                    "salt", 64, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .build(DatasetBuilderTestAccess.firstRecords(20), dir);
        }
        dataset = dir;
    }

    @Test
    void allFourTermsWithoutASwitch(@TempDir Path run) throws IOException {
        assertTerms(pretrain(run), TERMS);
    }

    @Test
    void noRlca(@TempDir Path run) throws IOException {
        assertTerms(pretrain(run, "--no-rlca"), List.of("uecr", "rada", "rgwr"));
    }

    @Test
    void noUecr(@TempDir Path run) throws IOException {
        assertTerms(pretrain(run, "--no-uecr"), List.of("rlca", "rada", "rgwr"));
    }

    @Test
    void noRada(@TempDir Path run) throws IOException {
        assertTerms(pretrain(run, "--no-rada"), List.of("rlca", "uecr", "rgwr"));
    }

    @Test
    void noRgwr(@TempDir Path run) throws IOException {
        assertTerms(pretrain(run, "--no-rgwr"), List.of("rlca", "uecr", "rada"));
    }

    @Test
    void noSpectrogramDropsTheBranchAndRlca(@TempDir Path run) throws IOException {
        assertTerms(pretrain(run, "--no-spectrogram"), List.of("uecr", "rada", "rgwr"));
        TamerConfig compact = TamerConfig.compact(384);
        assertFits(run, compact.withSpectrogramBranch(false));
        assertDoesNotFit(run, compact);
    }

    @Test
    void noWlaiDropsTheFusionLayer(@TempDir Path run) throws IOException {
        assertTerms(pretrain(run, "--no-wlai"), TERMS);
        TamerConfig compact = TamerConfig.compact(384);
        assertFits(run, compact.withWlai(false));
        assertDoesNotFit(run, compact);
    }

    private static List<JsonObject> pretrain(Path run, String... switches) throws IOException {
        List<String> args = new ArrayList<>(List.of("pretrain", "--dataset", dataset.toString(), "--run",
                run.toString(), "--architecture", "compact", "--batch-size", "4", "--epochs", "2", "--max-steps",
                "2", "--learning-rate", "1e-3", "--seed", "11"));
        args.addAll(List.of(switches));
        assertEquals(0, TamerCli.run(args.toArray(String[]::new)));
        List<JsonObject> lines = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve(Pretrainer.LOG))) {
            lines.add(JsonParser.parseString(line).getAsJsonObject());
        }
        assertEquals(2, lines.size());
        return lines;
    }

    private static void assertTerms(List<JsonObject> log, List<String> present) {
        for (JsonObject line : log) {
            float sum = 0;
            for (String term : TERMS) {
                if (present.contains(term)) {
                    assertTrue(line.has(term), term + " missing: " + line);
                    float value = line.get(term).getAsFloat();
                    assertTrue(value > 0, term + " of a random network on real pairs: " + line);
                    sum += value;
                } else {
                    assertFalse(line.has(term), term + " is switched off: " + line);
                }
            }
            float total = line.get("total").getAsFloat();
            assertEquals(sum, total, 1e-5f * Math.abs(sum), "total = sum of the remaining terms: " + line);
        }
    }

    private static void assertFits(Path run, TamerConfig config) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            load(run, config, manager);
        } catch (MalformedModelException e) {
            throw new AssertionError("the checkpoint does not fit " + config, e);
        }
    }

    private static void assertDoesNotFit(Path run, TamerConfig config) {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThrows(Exception.class, () -> load(run, config, manager),
                    "the checkpoint holds the switched-off part's parameters");
        }
    }

    private static void load(Path run, TamerConfig config, NDManager manager)
            throws IOException, MalformedModelException {
        TamerNetwork network = new TamerNetwork(config);
        network.initialize(manager);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(
                run.resolve(Pretrainer.CHECKPOINT).resolve("parameters.bin"))))) {
            network.loadParameters(manager, in);
        }
    }
}
