package org.tamer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.DirectoryReplacement;
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
                    "salt", 8, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
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

    @Test
    void resumesAfterACrashBetweenTheCheckpointRenamesWithoutRepeatingLogLines(@TempDir Path reference,
                                                                                @TempDir Path crashed)
            throws IOException {
        ShardDataset dataset = ShardDataset.open(datasetDirectory);
        run(reference, dataset, false, 3);
        copyTree(reference, crashed);
        run(reference, dataset, true, 2);
        List<JsonObject> expected = log(reference);
        assertEquals(5, expected.size());

        // The crashed run had logged steps 4 and 5 and half of step 6 after its step-3 checkpoint, then died
        // while replacing that checkpoint: between renaming the old one aside and moving the new one in.
        Files.copy(reference.resolve(Pretrainer.LOG), crashed.resolve(Pretrainer.LOG),
                StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(crashed.resolve(Pretrainer.LOG), "{\"step\":6,\"epoch\":1,\"rl",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        Path checkpoint = crashed.resolve(Pretrainer.CHECKPOINT);
        Files.move(checkpoint, DirectoryReplacement.previousOf(checkpoint));

        run(crashed, dataset, true, 2);
        List<JsonObject> resumed = log(crashed);
        assertEquals(expected.size(), resumed.size(), "each step logged once");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(i + 1, resumed.get(i).get("step").getAsInt());
            assertEquals(expected.get(i).get("total").getAsFloat(), resumed.get(i).get("total").getAsFloat(),
                    "loss at step " + (i + 1) + " after resuming from the recovered step-3 checkpoint");
        }
        assertTrue(Files.exists(checkpoint.resolve("state.json")));
        assertFalse(Files.exists(DirectoryReplacement.previousOf(checkpoint)));
    }

    @Test
    void refusesToResumeARunWhoseCheckpointIsGoneRatherThanOverwriteItsLog(@TempDir Path runDirectory)
            throws IOException {
        ShardDataset dataset = ShardDataset.open(datasetDirectory);
        run(runDirectory, dataset, false, 1);
        DirectoryReplacement.deleteTree(runDirectory.resolve(Pretrainer.CHECKPOINT));
        List<String> logBefore = Files.readAllLines(runDirectory.resolve(Pretrainer.LOG));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run(runDirectory, dataset, true, 1));
        assertTrue(e.getMessage().contains(runDirectory.toString()) && e.getMessage().contains("state.json"),
                e.getMessage());
        assertEquals(logBefore, Files.readAllLines(runDirectory.resolve(Pretrainer.LOG)));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
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
