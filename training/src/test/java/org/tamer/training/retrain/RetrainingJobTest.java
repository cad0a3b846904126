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
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

/** One retraining cycle end to end on real PTB-XL records with a compact network. */
class RetrainingJobTest {

    /** The served bundle's calibration, fitted to its old scores. */
    private static final Calibration STALE = new Calibration(0.05, 0);

    @Test
    void retrainsOnNewRecordsAndPublishesOnlyWhenNotWorse(@TempDir Path work) throws Exception {
        try (Setup setup = new Setup(work, 1e-3f)) {
            String before = ModelBundle.open(setup.bundle).manifest().parametersSha256();
            RetrainingOutcome first = setup.job.runOnce(DatasetBuilderTestAccess.firstRecords(40));
            assertEquals(40, first.newRecords());
            assertTrue(!Double.isNaN(first.currentAuc()) && !Double.isNaN(first.candidateAuc()), first.toString());
            assertEquals(first.candidateAuc() >= first.currentAuc(), first.published(), first.toString());
            ModelBundle after = ModelBundle.open(setup.bundle);
            if (first.published()) {
                assertEquals("0.0.2", after.manifest().version());
                assertNotEquals(before, after.manifest().parametersSha256());
                assertNotEquals(STALE, after.manifest().calibrationOf("NORM"), "calibrated anew for the new scores");
            } else {
                assertEquals(before, after.manifest().parametersSha256());
                assertEquals(STALE, after.manifest().calibrationOf("NORM"));
            }

            RetrainingOutcome second = setup.job.runOnce(DatasetBuilderTestAccess.firstRecords(40));
            assertEquals("no new records", second.reason());
            assertEquals(2, Files.readAllLines(work.resolve("state/history.jsonl")).size());
        }
    }

    /**
     * Records are marked seen only after a run completes: a run that fails part-way (the archive's 25th record
     * cannot be read, an I/O failure rather than a bad file) marks none, and the next run takes all 40.
     */
    @Test
    void recordsAreMarkedSeenOnlyAfterARunCompletes(@TempDir Path work) throws Exception {
        try (Setup setup = new Setup(work, 1e-3f)) {
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
            assertThrows(RuntimeException.class, () -> setup.job.runOnce(failing));
            assertFalse(Files.exists(work.resolve("state/seen-keys.txt")) && !Files.readAllLines(
                    work.resolve("state/seen-keys.txt")).isEmpty(), "no record is marked seen by a failed run");
            RetrainingOutcome retried = setup.job.runOnce(records);
            assertEquals(40, retried.newRecords(), retried.toString());
            assertEquals(40, Files.readAllLines(work.resolve("state/seen-keys.txt")).size());
        }
    }

    /** A served compact bundle (stale calibration), a validation set of 120 PTB-XL records and the job. */
    private static final class Setup implements AutoCloseable {
        final Path bundle;
        final RetrainingJob job;
        private final TextEncoder encoder;

        Setup(Path work, float learningRate) {
            ComputeEngine engine = ComputeEngine.load();
            PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
            Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults());
            Engine.getInstance().setRandomSeed(5);
            encoder = TextEncoder.embeddedDefault(engine.device());
            Path validationDirectory = work.resolve("validation");
            new DatasetBuilder(preprocessor, encoder, new ReportCleaner(), "v", 256, quiet)
                    .build(DatasetBuilderTestAccess.firstRecords(120), validationDirectory);
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
                    new PretrainConfig(8, 1, learningRate, 1e-7f, 40_000, 100, 3L, 2, TamerLossConfig.paper()), engine,
                    encoder, preprocessor, quiet);
        }

        @Override
        public void close() {
            encoder.close();
        }
    }
}
