package org.tamer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.DatasetBuilderTestAccess;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.ShardEncoding;
import org.tamer.training.eval.EvaluationOptions;
import org.tamer.training.eval.EvaluationReport;
import org.tamer.training.eval.ZeroShotEvaluator;
import org.tamer.training.loss.TamerLossConfig;
import org.tamer.training.testing.TestNetworks;

/**
 * The measured check of the compact shard format: the same 40 real PTB-XL records written as float32 (format 1) and
 * as int16 (format 2) give the same loss terms on the same parameters (within a relative {@value #LOSS_TOLERANCE};
 * the drift of later steps, whose parameters were updated from slightly different batches, is printed) and the same
 * zero-shot macro AUC of the shipped default model (within {@value #AUC_TOLERANCE}).
 */
class CompactShardsAccuracyTest {

    static final double LOSS_TOLERANCE = 1e-3;
    static final double AUC_TOLERANCE = 0.005;
    private static Path float32;
    private static Path int16;

    @BeforeAll
    static void build(@TempDir Path dir) {
        float32 = dir.resolve("float32");
        int16 = dir.resolve("int16");
        try (TextEncoder encoder = TextEncoder.embeddedDefault(ComputeEngine.load().device())) {
            for (Path output : List.of(float32, int16)) {
                new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                        "salt", 16, output == int16 ? ShardEncoding.INT16 : ShardEncoding.FLOAT32,
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                        .build(DatasetBuilderTestAccess.firstRecords(40), output);
            }
        }
    }

    @Test
    void trainingLossesStayWithinTolerance(@TempDir Path runs) throws IOException {
        List<JsonObject> exact = train(ShardDataset.open(float32), runs.resolve("float32"));
        List<JsonObject> compact = train(ShardDataset.open(int16), runs.resolve("int16"));
        assertEquals(exact.size(), compact.size());
        assertTrue(exact.size() >= 2, "steps: " + exact.size());
        // the first step sees the same parameters: only the stored data differ
        double largest = 0;
        for (String term : List.of("total", "rlca", "uecr", "rada", "rgwr")) {
            double a = exact.get(0).get(term).getAsDouble();
            double b = compact.get(0).get(term).getAsDouble();
            largest = Math.max(largest, Math.abs(a - b) / Math.abs(a));
            assertTrue(Math.abs(a - b) <= LOSS_TOLERANCE * Math.abs(a), term + " at step 1: " + a + " vs " + b);
        }
        // later steps follow parameters that were updated from slightly different batches: reported, not bounded
        StringBuilder later = new StringBuilder();
        for (int i = 1; i < exact.size(); i++) {
            double a = exact.get(i).get("total").getAsDouble();
            later.append(String.format(Locale.ROOT, " step %d %.2e", i + 1,
                    Math.abs(a - compact.get(i).get("total").getAsDouble()) / Math.abs(a)));
        }
        System.out.printf(Locale.ROOT, "compact shards: largest relative loss difference at step 1 %.2e; total"
                + " afterwards:%s%n", largest, later);
    }

    @Test
    void zeroShotAucOfTheDefaultModelStaysWithinTolerance() {
        ModelBundle bundle = ModelBundle.open(Path.of("..", "models", "tamer-ptbxl-default"));
        ComputeEngine engine = ComputeEngine.load();
        try (NDManager manager = NDManager.newBaseManager(engine.device());
             TextEncoder encoder = TextEncoder.embeddedDefault(engine.device())) {
            TamerNetwork network = bundle.loadNetwork(manager);
            ZeroShotEvaluator evaluator = new ZeroShotEvaluator(network, encoder, bundle.manifest().stft());
            EvaluationReport exact = evaluator.evaluate(ShardDataset.open(float32).examples(),
                    bundle.manifest().prompts(), EvaluationOptions.standard(), manager);
            EvaluationReport compact = evaluator.evaluate(ShardDataset.open(int16).examples(),
                    bundle.manifest().prompts(), EvaluationOptions.standard(), manager);
            assertTrue(exact.macroAuc() > 0.5, "the default model ranks these records: " + exact.macroAuc());
            assertEquals(exact.macroAuc(), compact.macroAuc(), AUC_TOLERANCE);
            System.out.printf(Locale.ROOT, "compact shards: zero-shot macro AUC %.5f (float32) vs %.5f (int16)%n",
                    exact.macroAuc(), compact.macroAuc());
        }
    }

    private static List<JsonObject> train(ShardDataset dataset, Path run) throws IOException {
        Engine.getInstance().setRandomSeed(11);
        PretrainConfig config = new PretrainConfig(4, 2, 1e-3f, 1e-7f, 40_000, 100, 3L, 2, TamerLossConfig.paper());
        try (NDManager manager = NDManager.newBaseManager(ComputeEngine.load().device())) {
            TamerNetwork network = new TamerNetwork(TestNetworks.SMALL);
            network.initialize(manager);
            new Pretrainer(network, config, new DataLoading(2, 1, 2), StftConfig.paperDefaults(), run,
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new TrainingStop())
                    .train(dataset, manager, false, 4);
        }
        return Files.readAllLines(run.resolve(Pretrainer.LOG)).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }
}
