package org.tamer.runtime.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.runtime.engine.ComputeEngine;

/**
 * The DJL text encoder must be the same function as the ONNX model it was loaded from: token hidden states equal
 * ONNX Runtime's {@code last_hidden_state} within 1e-4 on real PTB-XL reports of different lengths, padded
 * together in one batch.
 */
class TextEncoderParityTest {

    /** Real reports from PTB-XL's ptbxl_database.csv (records 1, 2, 7, 12, 28) and a composed English one. */
    private static final List<String> REPORTS = List.of(
            "sinusrhythmus periphere niederspannung",
            "sinusbradykardie sonst normales ekg",
            "sinus rhythm. left axis deviation. left anterior fascicular block. ",
            "sinusrhythmus unvollstÄndiger rechtsschenkelblock sonst normales ekg",
            "Sinus rhythm. Inferior myocardial infarction. Left ventricular hypertrophy. Non-specific ST changes.",
            "sr");

    private static Device device;
    private static TextEncoder encoder;

    @BeforeAll
    static void load() {
        device = ComputeEngine.load().device();
        encoder = TextEncoder.embeddedDefault(device);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void hiddenStatesEqualOnnxRuntime() throws Exception {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDList inputs = encoder.tokenize(REPORTS, manager);
            ReportFeatures features = encoder.encode(REPORTS, manager);
            float[] djl = features.tokens().toFloatArray();
            long[] shape = features.tokens().getShape().getShape();
            float[] ort = onnxRuntime(inputs);
            assertEquals(djl.length, ort.length);
            float[] mask = features.mask().toFloatArray();
            double worst = 0;
            int hidden = (int) shape[2];
            for (int i = 0; i < djl.length; i++) {
                if (mask[i / hidden] > 0) {
                    worst = Math.max(worst, Math.abs(djl[i] - ort[i]));
                }
            }
            assertTrue(worst < 1e-4, "largest difference from ONNX Runtime on real tokens: " + worst);
            double energy = 0;
            for (float v : ort) {
                energy += v * v;
            }
            assertTrue(energy / ort.length > 0.01, "ONNX Runtime returned near-zero states");
            assertEquals(384, hidden);
        }
    }

    @Test
    void clsAttentionIsADistributionOverRealTokens() {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            ReportFeatures features = encoder.encode(REPORTS, manager);
            float[] w = features.clsAttention().toFloatArray();
            float[] mask = features.mask().toFloatArray();
            int tokens = (int) features.clsAttention().getShape().get(1);
            for (int b = 0; b < REPORTS.size(); b++) {
                double sum = 0;
                for (int t = 0; t < tokens; t++) {
                    int i = b * tokens + t;
                    if (mask[i] == 0) {
                        assertEquals(0f, w[i], "padding token " + t + " of report " + b);
                    }
                    assertTrue(w[i] >= 0);
                    sum += w[i];
                }
                assertEquals(1.0, sum, 1e-5, "report " + b);
            }
            assertFalse(features.tokens().hasGradient());
        }
    }

    @Test
    void meanPoolingIgnoresPaddingSoBatchingDoesNotChangeAReport() {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            NDArray alone = encoder.encode(List.of(REPORTS.get(5)), manager).global();
            NDArray batched = encoder.encode(REPORTS, manager).global().get("5:6");
            assertTrue(alone.sub(batched).abs().max().getFloat() < 1e-5);
        }
    }

    @Test
    void loadsTheSameModelFromAHuggingFaceFolder(@TempDir Path folder) throws IOException {
        writeHuggingFaceFolder(folder);
        try (TextEncoder fromFolder = TextEncoder.load(new TextEncoderSource.HuggingFaceFolder(folder),
                TextPooling.CLS, 64, device);
             NDManager manager = NDManager.newBaseManager(device)) {
            NDArray expected = encoder.encode(REPORTS, manager).tokens();
            NDArray actual = fromFolder.encode(REPORTS, manager).tokens();
            assertEquals(expected.getShape(), actual.getShape());
            assertTrue(expected.sub(actual).abs().max().getFloat() < 1e-6);
            assertTrue(fromFolder.source().reference().startsWith("huggingface:"));
        }
        Files.delete(folder.resolve("config.json"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                TextEncoder.load(new TextEncoderSource.HuggingFaceFolder(folder), TextPooling.CLS, 64, device));
        assertTrue(e.getMessage().contains("config.json: not found"), e.getMessage());
    }

    @Test
    void refusesPoolerPoolingWithoutPoolerWeights() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                TextEncoder.load(new TextEncoderSource.EmbeddedMiniLm(), TextPooling.POOLER, 64, device));
        assertEquals("the all-MiniLM-L6-v2 model on the class path has no pooler weights; use CLS or MEAN pooling",
                e.getMessage());
    }

    @Test
    void convertsHalfPrecision() {
        assertEquals(1.0f, SafetensorsReader.halfToFloat((short) 0x3c00));
        assertEquals(-2.0f, SafetensorsReader.halfToFloat((short) 0xc000));
        assertEquals(65504f, SafetensorsReader.halfToFloat((short) 0x7bff));
        assertEquals(0x1p-24f, SafetensorsReader.halfToFloat((short) 0x0001));
        assertEquals(Float.POSITIVE_INFINITY, SafetensorsReader.halfToFloat((short) 0x7c00));
    }

    private static float[] onnxRuntime(NDList inputs) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession session = env.createSession(resource("/all-minilm-l6-v2.onnx"), new OrtSession.SessionOptions());
             OnnxTensor ids = tensor(env, inputs.get(0));
             OnnxTensor mask = tensor(env, inputs.get(1));
             OnnxTensor types = tensor(env, inputs.get(2));
             OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask,
                     "token_type_ids", types))) {
            OnnxTensor hidden = (OnnxTensor) result.get("last_hidden_state").orElseThrow();
            float[] out = new float[(int) (hidden.getInfo().getNumElements())];
            hidden.getFloatBuffer().get(out);
            return out;
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, NDArray array) throws Exception {
        return OnnxTensor.createTensor(env, java.nio.LongBuffer.wrap(array.toLongArray()),
                array.getShape().getShape());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TextEncoderParityTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static void writeHuggingFaceFolder(Path folder) throws IOException {
        HuggingFaceFolderWriter.write(folder);
    }
}
