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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.DatasetBuilderTestAccess;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.loss.TamerLossConfig;
import org.tamer.training.testing.TestNetworks;

class PretrainerTest {

    private static final PretrainConfig SMALL_RUN = new PretrainConfig(6, 4, 1e-3f, 1e-7f, 40_000, 100, 7L, 2,
            TamerLossConfig.paper());
    private static Path datasetDirectory;
    private static ComputeEngine engine;

    @BeforeAll
    static void buildDataset(@TempDir Path dir) {
        engine = ComputeEngine.load();
        try (TextEncoder encoder = TextEncoder.embeddedDefault(engine.device())) {
            new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                    "salt", 64, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .build(DatasetBuilderTestAccess.firstRecords(40), dir);
        }
        datasetDirectory = dir;
    }

    @Test
    void resumesBitExactlyFromACheckpointAndLogsEveryStep(@TempDir Path uninterrupted, @TempDir Path interrupted)
            throws IOException {
        ShardDataset dataset = ShardDataset.open(datasetDirectory);
        run(uninterrupted, dataset, false, -1);
        List<JsonObject> full = log(uninterrupted);
        assertTrue(full.size() >= 6, "steps run: " + full.size());
        JsonObject first = full.get(0);
        for (String key : List.of("step", "epoch", "rlca", "uecr", "rada", "rgwr", "total", "learning_rate",
                "ecgs_per_second", "data_wait_seconds", "rss_mib")) {
            assertTrue(first.has(key), "log line lacks " + key + ": " + first);
        }

        run(interrupted, dataset, false, 3);
        assertEquals(3, log(interrupted).size());
        run(interrupted, dataset, true, -1);
        List<JsonObject> resumed = log(interrupted);
        assertEquals(full.size(), resumed.size());
        for (int i = 0; i < full.size(); i++) {
            assertEquals(full.get(i).get("total").getAsFloat(), resumed.get(i).get("total").getAsFloat(),
                    "loss at step " + (i + 1) + " after resuming at step 3");
        }
    }

    private static void run(Path runDirectory, ShardDataset dataset, boolean resume, long stopAfter) {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            TamerNetwork network = new TamerNetwork(TestNetworks.SMALL);
            network.initialize(manager);
            new Pretrainer(network, SMALL_RUN, runDirectory, new PrintStream(new ByteArrayOutputStream(), true,
                    StandardCharsets.UTF_8)).train(dataset, manager, resume, stopAfter);
        }
    }

    private static List<JsonObject> log(Path runDirectory) throws IOException {
        return Files.readAllLines(runDirectory.resolve(Pretrainer.LOG)).stream()
                .map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }
}
