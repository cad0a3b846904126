package org.tamer.training.retrain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.bundle.BundleManifest;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.bundle.TextEncoderReference;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.Calibration;
import org.tamer.runtime.inference.ClassEmbeddings;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.network.TamerConfig;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.PretrainConfig;
import org.tamer.training.dataset.DatasetBuilder;
import org.tamer.training.dataset.DatasetBuilderTestAccess;
import org.tamer.training.dataset.LabelledRecord;
import org.tamer.training.dataset.ReportCleaner;
import org.tamer.training.dataset.ShardDataset;
import org.tamer.training.dataset.TrainingSource;
import org.tamer.training.loss.TamerLossConfig;

/**
 * Retraining cycles end to end on real PTB-XL records with a compact network, each branch forced by a design whose
 * outcome is known beforehand. The validation set gives every example the same real ECG (with its own record's
 * labels), so every network's scores are tied within each class and its macro AUC is exactly 0.5: any candidate
 * with finite scores ties with the served bundle and is published. A learning rate of 1e30 for one step moves
 * every parameter by about 1e30 (Adam's first update is the rate times the gradient's sign), so the candidate's
 * activations overflow, its scores are not finite and it is not published.
 */
class RetrainingJobTest {

    /** The served bundle's calibration, fitted to its old scores. */
    private static final Calibration STALE = new Calibration(0.05, 0);

    private static Path validationDirectory;

    @BeforeAll
    static void buildValidationSet(@TempDir Path dir) {
        ComputeEngine engine = ComputeEngine.load();
        try (TextEncoder encoder = TextEncoder.embeddedDefault(engine.device())) {
            new DatasetBuilder(new Preprocessor(PreprocessingConfig.paperDefaults()), encoder, new ReportCleaner(),
                    "v", 256, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                    .build(oneEcgForAll(DatasetBuilderTestAccess.firstRecords(120)), dir);
        }
        validationDirectory = dir;
    }

    /**
     * The records with their own reports, labels and splits, all carrying the first record's ECG signal: any
     * network scores every example of a class the same, so each class's AUC is 0.5 (all scores tied) for every
     * network.
     */
    private static TrainingSource oneEcgForAll(TrainingSource records) {
        LabelledRecord first = records.read(records.keys().get(0));
        return new TrainingSource() {
            @Override
            public String description() {
                return records.description() + ", each with the first record's ECG";
            }

            @Override
            public List<String> keys() {
                return records.keys();
            }

            @Override
            public LabelledRecord read(String key) {
                LabelledRecord own = records.read(key);
                return new LabelledRecord(own.record().withSignal(first.record().signal()), own.patient(),
                        own.split(), own.labels());
            }
        };
    }

    @Test
    void aCandidateThatTiesIsPublishedAndItsRecordsMarkedSeen(@TempDir Path work) throws Exception {
        try (Setup setup = new Setup(work, 1e-3f, 8)) {
            TrainingSource records = DatasetBuilderTestAccess.firstRecords(40);
            RetrainingOutcome first = setup.job.runOnce(records);
            assertTrue(first.published(), first.toString());
            assertEquals(0.5, first.currentAuc(), first.toString());
            assertEquals(0.5, first.candidateAuc(), first.toString());
            ModelBundle after = ModelBundle.open(setup.bundle);
            assertEquals("0.0.2", after.manifest().version());
            assertNotEquals(STALE, after.manifest().calibrationOf("NORM"), "calibrated anew for the new scores");
            assertEquals(records.keys().stream().sorted().toList(),
                    Files.readAllLines(work.resolve("state/seen-keys.txt")));

            RetrainingOutcome second = setup.job.runOnce(records);
            assertEquals("no new records", second.reason());
            assertEquals(2, Files.readAllLines(work.resolve("state/history.jsonl")).size());
        }
    }

    @Test
    void aWorseCandidateLeavesTheServedBundleByteIdenticalAndItsRecordsUnseen(@TempDir Path work) throws Exception {
        // 10 records give fewer than 8 training examples: one step of batch 8, one epoch
        try (Setup setup = new Setup(work, 1e30f, 8)) {
            Map<Path, String> before = sha256OfEveryFile(setup.bundle);
            RetrainingOutcome outcome = setup.job.runOnce(DatasetBuilderTestAccess.firstRecords(10));
            assertFalse(outcome.published(), outcome.toString());
            assertEquals(0.5, outcome.currentAuc(), outcome.toString());
            assertTrue(outcome.reason().contains("not all finite"), outcome.toString());
            assertEquals(before, sha256OfEveryFile(setup.bundle));
            assertFalse(Files.exists(work.resolve("state/seen-keys.txt")), "no record is marked seen");
            assertTrue(Files.readString(work.resolve("state/history.jsonl")).contains("\"published\":false"));
        }
    }

    /**
     * Records are marked seen only after a run completes: a run that fails part-way (the archive's 25th record
     * cannot be read, an I/O failure rather than a bad file) marks none and leaves the served bundle as it was, and
     * the next run takes all 40.
     */
    @Test
    void recordsAreMarkedSeenOnlyAfterARunCompletes(@TempDir Path work) throws Exception {
        try (Setup setup = new Setup(work, 1e-3f, 8)) {
            TrainingSource records = DatasetBuilderTestAccess.firstRecords(40);
            String broken = records.keys().get(24);
            TrainingSource failing = new TrainingSource() {
                @Override
                public String description() {
                    return records.description();
                }

                @Override
                public List<String> keys() {
                    return records.keys();
                }

                @Override
                public LabelledRecord read(String key) {
                    if (key.equals(broken)) {
                        throw new java.io.UncheckedIOException(new java.io.IOException("archive volume went away"));
                    }
                    return records.read(key);
                }
            };
            Map<Path, String> before = sha256OfEveryFile(setup.bundle);
            assertThrows(RuntimeException.class, () -> setup.job.runOnce(failing));
            assertFalse(Files.exists(work.resolve("state/seen-keys.txt")), "no record is marked seen by a failed run");
            assertEquals(before, sha256OfEveryFile(setup.bundle));
            RetrainingOutcome retried = setup.job.runOnce(records);
            assertEquals(40, retried.newRecords(), retried.toString());
            assertEquals(40, Files.readAllLines(work.resolve("state/seen-keys.txt")).size());
        }
    }

    private static Map<Path, String> sha256OfEveryFile(Path directory) throws Exception {
        Map<Path, String> hashes = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        for (Path file : files) {
            hashes.put(directory.relativize(file), HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
        }
        assertFalse(hashes.isEmpty());
        return hashes;
    }

    /** A served compact bundle (stale calibration), the validation set and the job. */
    private static final class Setup implements AutoCloseable {
        final Path bundle;
        final RetrainingJob job;
        private final TextEncoder encoder;

        Setup(Path work, float learningRate, int batchSize) {
            ComputeEngine engine = ComputeEngine.load();
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults());
            Engine.getInstance().setRandomSeed(5);
            encoder = TextEncoder.embeddedDefault(engine.device());
            bundle = work.resolve("bundle");
            PromptDictionary prompts = PromptDictionary.of(Map.of("NORM", List.of("normal ecg"),
                    "MI", List.of("myocardial infarction"), "STTC", List.of("st-t changes")));
            try (NDManager manager = NDManager.newBaseManager(engine.device())) {
                TamerNetwork network = new TamerNetwork(TamerConfig.compact(384));
                network.initialize(manager);
                ModelBundle.write(bundle, new BundleManifest(ModelBundle.FORMAT_VERSION, "tamer-test", "0.0.1",
                        Instant.now(), TamerConfig.compact(384), PreprocessingConfig.paperDefaults(),
                        StftConfig.paperDefaults(), new TextEncoderReference(encoder.source().reference(),
                        encoder.weightsSha256(), encoder.pooling(), encoder.maxTokens(), encoder.hiddenSize()),
                        prompts, ClassEmbeddings.compute(network, encoder, prompts, manager), Map.of("NORM", STALE), "x"),
                        network);
            }
            job = new RetrainingJob(work.resolve("state"), bundle, ShardDataset.open(validationDirectory),
                    new PretrainConfig(batchSize, 1, learningRate, 0f, 40_000, 100, 3L, 2, TamerLossConfig.paper()),
                    engine, encoder, preprocessor, quiet);
        }

        @Override
        public void close() {
            encoder.close();
        }
    }
}
