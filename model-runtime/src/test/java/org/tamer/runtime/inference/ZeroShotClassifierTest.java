package org.tamer.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.DirectoryReplacement;
import org.tamer.runtime.bundle.BundleManifest;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.bundle.TextEncoderReference;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerConfig;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.testdata.PtbXlRaw;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.runtime.text.TextEncoderSource;
import org.tamer.runtime.text.TextPooling;

class ZeroShotClassifierTest {

    private static final TamerConfig SMALL = TamerConfig.compact(384);
    private static final PromptDictionary PROMPTS = PromptDictionary.of(Map.of(
            "NORM", List.of("normal ECG", "sinus rhythm, no abnormality"),
            "AFIB", List.of("atrial fibrillation")));

    private static ComputeEngine engine;
    private static TextEncoder encoder;

    @BeforeAll
    static void setUp() {
        engine = ComputeEngine.load();
        encoder = TextEncoder.embeddedDefault(engine.device());
    }

    @AfterAll
    static void tearDown() {
        encoder.close();
    }

    @Test
    void scoresAreCosineSimilaritiesOfTheBundlesNetworkAndClassEmbeddings(@TempDir Path dir) {
        ModelBundle bundle = publish(dir.resolve("bundle"), Map.of("AFIB", new Calibration(0.1, -2)));
        List<PreprocessedEcg> ecgs = preprocessed(1, 2, 3);
        try (ZeroShotClassifier classifier = ZeroShotClassifier.load(ModelBundle.open(bundle.directory()), engine)) {
            List<Diagnosis> results = classifier.classify(ecgs);
            assertEquals(3, results.size());
            assertEquals(PROMPTS.classes(), results.get(0).scores().stream().map(ClassScore::code).toList());
            // the same result one record at a time: batching does not change a record's scores
            for (int i = 0; i < 3; i++) {
                Diagnosis alone = classifier.classify(List.of(ecgs.get(i))).get(0);
                assertEquals(ecgs.get(i).recordId(), results.get(i).recordId());
                for (int c = 0; c < 2; c++) {
                    ClassScore batched = results.get(i).scores().get(c);
                    assertEquals(alone.scores().get(c).score(), batched.score(), 1e-5);
                    assertTrue(batched.score() >= -1 && batched.score() <= 1);
                }
                ClassScore afib = results.get(i).scores().get(PROMPTS.classes().indexOf("AFIB"));
                assertEquals(1 / (1 + Math.exp(-(afib.score() / 0.1 - 2))), afib.probability(), 1e-9);
                ClassScore norm = results.get(i).scores().get(PROMPTS.classes().indexOf("NORM"));
                assertEquals(1 / (1 + Math.exp(-norm.score())), norm.probability(), 1e-9);
            }
        }
    }

    @Test
    void recomputedPromptEmbeddingsEqualTheStoredOnes(@TempDir Path dir) {
        ModelBundle bundle = publish(dir.resolve("bundle"), Map.of());
        List<PreprocessedEcg> ecgs = preprocessed(4);
        try (ZeroShotClassifier stored = ZeroShotClassifier.load(bundle, engine);
             ZeroShotClassifier recomputed = ZeroShotClassifier.load(bundle, PROMPTS, encoder, engine)) {
            assertEquals(stored.classify(ecgs).get(0).scores().get(0).score(),
                    recomputed.classify(ecgs).get(0).scores().get(0).score(), 1e-5);
        }
        try (TextEncoder cls = TextEncoder.load(new TextEncoderSource.EmbeddedMiniLm(), TextPooling.CLS, 128,
                engine.device())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ZeroShotClassifier.load(bundle, PROMPTS, cls, engine));
            assertTrue(e.getMessage().contains("was trained with text encoder embedded:all-minilm-l6-v2"),
                    e.getMessage());
        }
    }

    @Test
    void refusesCorruptMismatchedOrNewerBundlesWithTheReason(@TempDir Path dir) throws IOException {
        Path path = publish(dir.resolve("bundle"), Map.of()).directory();
        Path manifest = path.resolve("bundle.json");
        String json = Files.readString(manifest, StandardCharsets.UTF_8);

        Files.writeString(manifest, json.replace("\"latentSize\": 32", "\"latentSize\": 64"));
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> ModelBundle.open(path));
        assertTrue(mismatch.getMessage().contains("class embedding of size 32 but D = 64"), mismatch.getMessage());

        String wider = json.replace("\"ecgChannels\": [\n      16,", "\"ecgChannels\": [\n      32,");
        assertTrue(!wider.equals(json), "test edit did not apply: " + json.substring(0, 600));
        Files.writeString(manifest, wider);
        IllegalArgumentException shapes;
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            shapes = assertThrows(IllegalArgumentException.class, () -> ModelBundle.open(path).loadNetwork(manager));
        }
        assertTrue(shapes.getMessage().contains("parameters.bin does not fit the network configuration"),
                shapes.getMessage());

        String narrow = json.replace("\"ecgChannels\": [\n      16,", "\"ecgChannels\": [\n      8,");
        assertTrue(!narrow.equals(json), "test edit did not apply");
        Files.writeString(manifest, narrow);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelBundle.open(path)).getMessage()
                .contains("bundle.json: network: channel width 8 in [8, 16, 32, 32] is below 16"));

        int newer = ModelBundle.FORMAT_VERSION + 1;
        String bumped = json.replace("\"formatVersion\": " + ModelBundle.FORMAT_VERSION, "\"formatVersion\": " + newer);
        assertTrue(!bumped.equals(json), "test edit did not apply");
        Files.writeString(manifest, bumped);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelBundle.open(path)).getMessage()
                .endsWith("bundle format " + newer + " is newer than this runtime reads (" + ModelBundle.FORMAT_VERSION
                        + "); upgrade the gateway"));

        Files.writeString(manifest, json.replace("\"normalisation\": \"GLOBAL_MIN_MAX\"", "\"normalisation\": \"L2\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelBundle.open(path)).getMessage()
                .endsWith("field 'normalisation' is 'L2', expected one of [GLOBAL_MIN_MAX, Z_SCORE_PER_LEAD, NONE]"));

        Files.writeString(manifest, json);
        byte[] parameters = Files.readAllBytes(path.resolve("parameters.bin"));
        parameters[parameters.length / 2] ^= 1;
        Files.write(path.resolve("parameters.bin"), parameters);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelBundle.open(path)).getMessage()
                .contains("the bundle is corrupt or was altered"));
    }

    @Test
    void aPublishInterruptedBetweenItsRenamesIsNamedAndTheNextPublishFinishesIt(@TempDir Path dir) throws IOException {
        Path path = publish(dir.resolve("bundle"), Map.of()).directory();
        Path previous = DirectoryReplacement.previousOf(path);
        Files.move(path, previous);
        String message = assertThrows(IllegalArgumentException.class, () -> ModelBundle.open(path)).getMessage();
        assertTrue(message.contains(previous.toString()) && message.contains("a publish was interrupted"), message);

        ModelBundle republished = publish(dir.resolve("bundle"), Map.of());
        assertEquals(republished.revision(), ModelBundle.open(path).revision());
        assertFalse(Files.exists(previous));
    }

    @Test
    void refusesEcgsPreparedDifferentlyFromTheBundle(@TempDir Path dir) {
        ModelBundle bundle = publish(dir.resolve("bundle"), Map.of());
        PreprocessedEcg shorter = new Preprocessor(PreprocessingConfig.paperDefaults().withTargetLength(2500))
                .apply(record(5));
        try (ZeroShotClassifier classifier = ZeroShotClassifier.load(bundle, engine)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> classifier.classify(List.of(shorter)));
            assertTrue(e.getMessage().startsWith("record ptbxl-5 is 12 x 2500 at 500.0 Hz"), e.getMessage());
        }
    }

    private static ModelBundle publish(Path dir, Map<String, Calibration> calibration) {
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            TamerNetwork network = new TamerNetwork(SMALL);
            network.initialize(manager);
            List<float[]> embeddings = ClassEmbeddings.compute(network, encoder, PROMPTS, manager);
            BundleManifest manifest = new BundleManifest(ModelBundle.FORMAT_VERSION, "tamer-test", "0.0.1",
                    Instant.parse("2026-11-24T00:00:00Z"), SMALL, PreprocessingConfig.paperDefaults(),
                    StftConfig.paperDefaults(), new TextEncoderReference(encoder.source().reference(),
                    encoder.weightsSha256(), encoder.pooling(), encoder.maxTokens(), encoder.hiddenSize()),
                    PROMPTS, embeddings, calibration, "to be computed");
            return ModelBundle.write(dir, manifest, network);
        }
    }

    private static List<PreprocessedEcg> preprocessed(int... ids) {
        Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults());
        List<PreprocessedEcg> out = new ArrayList<>();
        for (int id : ids) {
            out.add(preprocessor.apply(record(id)));
        }
        return out;
    }

    private static EcgRecord record(int id) {
        return EcgRecord.of("ptbxl-" + id, EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(id, true)), SourceMetadata.of("PTB-XL", null));
    }
}
