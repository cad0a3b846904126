package org.tamer.runtime.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.testdata.PtbXlRaw;

/**
 * The same batch gives bit-identical, finite parameter gradients on every backward pass of the compact network:
 * bit-exact resume and reproducible runs rest on this.
 */
class GradientDeterminismTest {

    private static final int BATCH = 6;

    private final Device device = ComputeEngine.load().device();

    @Test
    void repeatedBackwardPassesOfTheCompactNetworkAgreeBitForBit() {
        float[] waveforms = new float[BATCH * 12 * 5000];
        float[] spectrograms = new float[BATCH * 12 * 63 * 81];
        Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults());
        SpectrogramTransform stft = new SpectrogramTransform(StftConfig.paperDefaults());
        for (int i = 0; i < BATCH; i++) {
            PreprocessedEcg ecg = preprocessor.apply(EcgRecord.of("ptbxl-" + (i + 1), EcgSignal.of(500,
                    StandardLead.CANONICAL_ORDER, PtbXlRaw.millivolts(i + 1, true)), SourceMetadata.of("PTB-XL",
                    null)));
            ecg.copyInto(waveforms, i * 12 * 5000);
            stft.apply(ecg).copyInto(spectrograms, i * 12 * 63 * 81);
        }
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            TamerNetwork network = new TamerNetwork(TamerConfig.compact(384));
            network.initialize(manager);
            Map<String, float[]> first = gradients(network, manager, waveforms, spectrograms);
            for (int repeat = 0; repeat < 4; repeat++) {
                Map<String, float[]> again = gradients(network, manager, waveforms, spectrograms);
                assertEquals(first.keySet(), again.keySet());
                for (String name : first.keySet()) {
                    assertArrayEquals(first.get(name), again.get(name), "gradient of " + name + ", pass "
                            + (repeat + 2));
                }
            }
            float[] stem = first.entrySet().stream().filter(e -> e.getKey().contains("spectrogram_encoder")
                    && e.getKey().contains("stem")).findFirst().orElseThrow().getValue();
            for (float g : stem) {
                assertTrue(Float.isFinite(g), "spectrogram stem gradient " + g);
            }
        }
    }

    @Test
    void convolutionsNarrowerThanSixteenChannelsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TamerConfig(12, 5000,
                63, 81, List.of(1, 1), List.of(16, 24), List.of(8, 16), 32, 4, 384, true, true));
        assertTrue(e.getMessage().startsWith("channel width 8 in [8, 16] is below 16"),
                e.getMessage());
    }

    /** One training-mode forward pass to a scalar that every branch feeds, and the gradient of each parameter. */
    private static Map<String, float[]> gradients(TamerNetwork network, NDManager manager, float[] waveforms,
                                                  float[] spectrograms) {
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager batch = manager.newSubManager()) {
            NDArray waveform = batch.create(waveforms, new Shape(BATCH, 12, 5000));
            NDArray spectrogram = batch.create(spectrograms, new Shape(BATCH, 12, 63, 81));
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                EcgEmbedding ecg = network.embedEcg(new ParameterStore(batch, false), waveform, spectrogram, true);
                NDArray scalar = ecg.fused().square().sum()
                        .add(ecg.temporalGlobal().mul(ecg.spectralGlobal().orElseThrow()).sum());
                collector.backward(scalar);
            }
            for (var p : network.getParameters()) {
                if (!p.getValue().requiresGradient() || p.getKey().contains("rgwr")
                        || p.getKey().contains("report")) {
                    continue;
                }
                // owned by the batch, so that the zeroing's scalar operand is freed with it
                NDArray gradient = p.getValue().getArray().getGradient();
                gradient.attach(batch);
                out.put(p.getKey(), gradient.toFloatArray());
                gradient.muli(0f);
            }
        }
        return out;
    }
}
