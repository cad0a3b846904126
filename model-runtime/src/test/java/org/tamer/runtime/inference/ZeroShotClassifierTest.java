package org.tamer.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
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
import org.tamer.runtime.spectrogram.SpectrogramTransform;
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

    /**
     * Independent oracle: the fused embedding z is taken from the bundle's network directly (a second load of
     * {@code parameters.bin}), and the cosine similarity with each stored class embedding is computed here in plain
     * Java {@code double} arithmetic (both vectors L2-normalised, then a dot product), with no DJL array operation
     * of the classifier. Four classes, so a wrong ranking, a missing normalisation or a transposed class matrix
     * cannot pass; the probability is the documented calibration sigmoid 1 / (1 + exp(-(s / T + b))).
     */
    @Test
    void scoresEqualCosinesComputedIndependentlyInPlainJava(@TempDir Path dir) {
        PromptDictionary four = PromptDictionary.of(Map.of(
                "NORM", List.of("normal ECG"),
                "AFIB", List.of("atrial fibrillation"),
                "IMI", List.of("inferior myocardial infarction"),
                "LVH", List.of("left ventricular hypertrophy")));
        ModelBundle bundle = publish(dir.resolve("bundle"), four, Map.of("IMI", new Calibration(0.2, 0.5)));
        List<PreprocessedEcg> ecgs = preprocessed(6, 7, 8);
        List<Diagnosis> results;
        try (ZeroShotClassifier classifier = ZeroShotClassifier.load(ModelBundle.open(bundle.directory()), engine)) {
            results = classifier.classify(ecgs);
        }
        double[][] z = fusedEmbeddings(bundle, ecgs);
        List<float[]> classes = bundle.manifest().classEmbeddings();
        assertEquals(four.classes().size(), classes.size());
        for (int i = 0; i < ecgs.size(); i++) {
            double[] expected = new double[classes.size()];
            for (int c = 0; c < classes.size(); c++) {
                expected[c] = dot(l2Normalised(z[i]), l2Normalised(toDouble(classes.get(c))));
                ClassScore actual = results.get(i).scores().get(c);
                assertEquals(four.classes().get(c), actual.code());
                assertEquals(expected[c], actual.score(), 1e-5, "record " + i + " class " + actual.code());
            }
            assertEquals(rank(expected), rank(results.get(i).scores().stream().mapToDouble(ClassScore::score)
                    .toArray()), "class ranking of record " + i);
            ClassScore imi = results.get(i).scores().get(four.classes().indexOf("IMI"));
            double s = expected[four.classes().indexOf("IMI")];
            assertEquals(1 / (1 + Math.exp(-(s / 0.2 + 0.5))), imi.probability(), 1e-5);
        }
    }

    private static double[][] fusedEmbeddings(ModelBundle bundle, List<PreprocessedEcg> ecgs) {
        TamerConfig config = bundle.manifest().network();
        SpectrogramTransform stft = new SpectrogramTransform(bundle.manifest().stft());
        int leads = config.leads();
        int length = config.ecgLength();
        int spectrogramSize = leads * config.frequencyBins() * config.frames();
        float[] waveforms = new float[ecgs.size() * leads * length];
        float[] spectrograms = new float[ecgs.size() * spectrogramSize];
        for (int i = 0; i < ecgs.size(); i++) {
            ecgs.get(i).copyInto(waveforms, i * leads * length);
            stft.apply(ecgs.get(i)).copyInto(spectrograms, i * spectrogramSize);
        }
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            TamerNetwork network = ModelBundle.open(bundle.directory()).loadNetwork(manager);
            float[] flat = network.forward(new ParameterStore(manager, false), new NDList(
                    manager.create(waveforms, new Shape(ecgs.size(), leads, length)),
                    manager.create(spectrograms, new Shape(ecgs.size(), leads, config.frequencyBins(),
                            config.frames()))), false).head().toFloatArray();
            int d = config.latentSize();
            assertEquals(ecgs.size() * d, flat.length);
            double[][] z = new double[ecgs.size()][d];
            for (int i = 0; i < ecgs.size(); i++) {
                for (int k = 0; k < d; k++) {
                    z[i][k] = flat[i * d + k];
                }
            }
            return z;
        }
    }

    private static double[] toDouble(float[] v) {
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = v[k];
        }
        return out;
    }

    private static double[] l2Normalised(double[] v) {
        double norm = Math.sqrt(dot(v, v));
        assertTrue(norm > 0, "zero vector");
        double[] out = new double[v.length];
        for (int k = 0; k < v.length; k++) {
            out[k] = v[k] / norm;
        }
        return out;
    }

    private static double dot(double[] a, double[] b) {
        assertEquals(a.length, b.length);
        double sum = 0;
        for (int k = 0; k < a.length; k++) {
            sum += a[k] * b[k];
        }
        return sum;
    }

    /** Class indices from the highest score to the lowest. */
    private static List<Integer> rank(double[] scores) {
        List<Integer> order = new ArrayList<>();
        for (int c = 0; c < scores.length; c++) {
            order.add(c);
        }
        order.sort((a, b) -> Double.compare(scores[b], scores[a]));
        return order;
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
        return publish(dir, PROMPTS, calibration);
    }

    private static ModelBundle publish(Path dir, PromptDictionary prompts, Map<String, Calibration> calibration) {
        try (NDManager manager = NDManager.newBaseManager(engine.device())) {
            TamerNetwork network = new TamerNetwork(SMALL);
            network.initialize(manager);
            List<float[]> embeddings = ClassEmbeddings.compute(network, encoder, prompts, manager);
            BundleManifest manifest = new BundleManifest(ModelBundle.FORMAT_VERSION, "tamer-test", "0.0.1",
                    Instant.parse("2026-11-24T00:00:00Z"), SMALL, PreprocessingConfig.paperDefaults(),
                    StftConfig.paperDefaults(), new TextEncoderReference(encoder.source().reference(),
                    encoder.weightsSha256(), encoder.pooling(), encoder.maxTokens(), encoder.hiddenSize()),
                    prompts, embeddings, calibration, "to be computed");
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
