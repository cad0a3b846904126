package org.tamer.gateway.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.bundle.BundleManifest;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.Calibration;
import org.tamer.runtime.inference.ClassScore;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.testdata.SharedData;

/**
 * Hot reload on the embedded default bundle and real PTB-XL records: a bundle published into the served folder
 * (atomically, as {@code publish} and {@code retrain} write it) is picked up without a restart; no micro-batch mixes
 * the two models, every request queued after the new bundle was seen is scored by it, and its scores are its own.
 */
class ModelServiceTest {

    @TempDir
    Path work;

    @Test
    void aNewlyPublishedBundleTakesOverBetweenBatches() throws Exception {
        Path repository = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        Path served = work.resolve("current");
        Files.createDirectories(served);
        for (String file : List.of(ModelBundle.MANIFEST_FILE, ModelBundle.PARAMETERS_FILE)) {
            Files.copy(repository.resolve("models/tamer-ptbxl-default").resolve(file), served.resolve(file));
        }
        PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
        List<EcgRecord> records = new ArrayList<>();
        for (int id = 1; id <= 6; id++) {
            records.add(archive.read(Integer.toString(id)));
        }
        ComputeEngine engine = ComputeEngine.load();
        try (ModelService models = new ModelService(served, engine);
             MicroBatcher batcher = new MicroBatcher(models, 3, Duration.ofMillis(200), 16, BatchListener.NONE)) {
            String old = models.current().sha256();
            assertFalse(models.checkForNewBundle(), "nothing new published yet");
            ModelResult oldResult = batcher.submit(records.get(0)).get(2, TimeUnit.MINUTES);
            assertEquals(old, oldResult.model().sha256());

            List<CompletableFuture<ModelResult>> before = new ArrayList<>();
            for (EcgRecord record : records.subList(0, 3)) {
                before.add(batcher.submit(record));
            }
            String published = publishRetrained(served, engine);
            assertTrue(models.checkForNewBundle(), "the published bundle is seen");
            List<CompletableFuture<ModelResult>> after = new ArrayList<>();
            for (EcgRecord record : records) {
                after.add(batcher.submit(record));
            }

            List<String> firstBatch = new ArrayList<>();
            for (CompletableFuture<ModelResult> f : before) {
                firstBatch.add(f.get(2, TimeUnit.MINUTES).model().sha256());
            }
            assertEquals(1, firstBatch.stream().distinct().count(), "one batch, one model: " + firstBatch);
            for (CompletableFuture<ModelResult> f : after) {
                assertEquals(published, f.get(2, TimeUnit.MINUTES).model().sha256(),
                        "queued after the new bundle was seen, scored by it");
            }
            assertEquals(published, models.current().sha256());
            assertNotEquals(old, published);
            assertNotEquals(scoreOfFirstClass(oldResult), scoreOfFirstClass(after.get(0).get()),
                    "the new parameters give their own scores for record 1");
            assertFalse(models.checkForNewBundle(), "the same bundle is not loaded twice");
        }
    }

    /** A bundle calibrated anew (same parameters, new probabilities) is a new revision, picked up like any other. */
    @Test
    void aRecalibratedBundleIsPickedUpWithTheSameParameters() throws Exception {
        Path repository = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        Path served = Files.createDirectories(work.resolve("calibrated"));
        for (String file : List.of(ModelBundle.MANIFEST_FILE, ModelBundle.PARAMETERS_FILE)) {
            Files.copy(repository.resolve("models/tamer-ptbxl-default").resolve(file), served.resolve(file));
        }
        EcgRecord record = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS).read("1");
        ComputeEngine engine = ComputeEngine.load();
        try (ModelService models = new ModelService(served, engine);
             MicroBatcher batcher = new MicroBatcher(models, 1, Duration.ofMillis(10), 4, BatchListener.NONE)) {
            ModelResult first = batcher.submit(record).get(2, TimeUnit.MINUTES);
            ModelBundle current = ModelBundle.open(served);
            Map<String, Calibration> calibration = new LinkedHashMap<>();
            for (String code : current.manifest().prompts().classes()) {
                calibration.put(code, new Calibration(0.02, -2));
            }
            try (NDManager manager = engine.engine().newBaseManager(engine.device())) {
                ModelBundle.write(served, current.manifest().withCalibration(calibration),
                        current.loadNetwork(manager));
            }
            assertTrue(models.checkForNewBundle(), "the recalibrated bundle is seen");
            ModelResult second = batcher.submit(record).get(2, TimeUnit.MINUTES);
            assertEquals(first.model().sha256(), second.model().sha256(), "the same parameters");
            ClassScore before = first.diagnosis().scores().get(0);
            ClassScore after = second.diagnosis().scores().get(0);
            assertEquals(before.score(), after.score(), 1e-6);
            assertEquals(new Calibration(0.02, -2).probability(after.score()), after.probability(), 1e-9);
            assertNotEquals(before.probability(), after.probability());
            assertFalse(models.checkForNewBundle(), "the same revision is not loaded twice");
        }
    }

    /** Writes a "retrained" bundle over the served one: the same network with its class token moved. */
    private static String publishRetrained(Path served, ComputeEngine engine) {
        ModelBundle current = ModelBundle.open(served);
        try (NDManager manager = engine.engine().newBaseManager(engine.device())) {
            TamerNetwork network = current.loadNetwork(manager);
            Pair<String, ai.djl.nn.Parameter> changed = network.getParameters().stream()
                    .filter(p -> p.getValue().getArray().getShape().size() > 1).findFirst().orElseThrow();
            changed.getValue().getArray().addi(0.05f);
            BundleManifest m = current.manifest();
            BundleManifest next = new BundleManifest(m.formatVersion(), m.name(), "0.1.1", m.created(), m.network(),
                    m.preprocessing(), m.stft(), m.textEncoder(), m.prompts(), m.classEmbeddings(), m.calibration(),
                    m.parametersSha256());
            return ModelBundle.write(served, next, network).manifest().parametersSha256();
        }
    }

    private static double scoreOfFirstClass(ModelResult result) {
        return result.diagnosis().scores().get(0).score();
    }
}
