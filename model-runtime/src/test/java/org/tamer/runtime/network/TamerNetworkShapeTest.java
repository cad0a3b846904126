package org.tamer.runtime.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.text.ReportFeatures;

/** Shapes of every intermediate of the paper's configuration, on real-sized input, and its parameter counts. */
class TamerNetworkShapeTest {

    private final Device device = ComputeEngine.load().device();

    @Test
    void paperConfigurationHasThePapersShapes() {
        TamerConfig config = TamerConfig.paper(384);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            TamerNetwork network = new TamerNetwork(config);
            network.initialize(manager);
            long batch = 2;
            NDArray waveform = manager.randomUniform(0, 1, new Shape(batch, 12, 5000));
            NDArray spectrogram = manager.randomUniform(0, 1, new Shape(batch, 12, 63, 81));
            ParameterStore store = new ParameterStore(manager, false);

            NDArray temporal = new EcgResNetEncoder(config).getOutputShapes(new Shape[] {waveform.getShape()})[0]
                    .equals(new Shape(batch, 512, 313)) ? waveform : null;
            assertTrue(temporal != null, "ResNet-34 maps 12 x 5000 to 512 x 313");
            assertEquals(new Shape(batch, 384, 81),
                    new SpectrogramCnnEncoder(config).getOutputShapes(new Shape[] {spectrogram.getShape()})[0]);
            assertEquals(313 + 81, network.ecgTokenCount());

            EcgEmbedding ecg = network.embedEcg(store, waveform, spectrogram, true);
            assertEquals(new Shape(batch, 256), ecg.temporalGlobal().getShape());
            assertEquals(new Shape(batch, 256), ecg.spectralGlobal().orElseThrow().getShape());
            assertEquals(new Shape(batch, 394, 256), ecg.localTokens().getShape());
            assertEquals(new Shape(batch, 256), ecg.fused().getShape());
            assertEquals(new Shape(batch, 394), ecg.poolingWeights().orElseThrow().getShape());
            assertEquals(1.0, ecg.poolingWeights().orElseThrow().sum(new int[] {1}).toFloatArray()[0], 1e-5);

            long tokens = 17;
            ReportFeatures report = new ReportFeatures(manager.randomNormal(new Shape(batch, tokens, 384)),
                    manager.ones(new Shape(batch, tokens)), manager.ones(new Shape(batch, tokens)).div(tokens),
                    manager.randomNormal(new Shape(batch, 384)));
            ReportEmbedding text = network.embedReport(store, report, true);
            assertEquals(new Shape(batch, 256), text.global().getShape());
            assertEquals(new Shape(batch, tokens, 256), text.tokens().getShape());
            CrossAttended cross = network.crossAttend(store, ecg.localTokens(), text, true);
            assertEquals(new Shape(batch, 394, 256), cross.ecgFromReport().getShape());
            assertEquals(new Shape(batch, tokens, 256), cross.reportFromEcg().getShape());

            NDList inference = network.forward(store, new NDList(waveform, spectrogram), false);
            assertEquals(new Shape(batch, 256), inference.head().getShape());

            Map<String, Long> counts = network.parameterCounts();
            counts.forEach((name, count) -> System.out.printf("%-30s %,12d%n", name, count));
            System.out.printf("%-30s %,12d%n", "total", counts.values().stream().mapToLong(Long::longValue).sum());
            // 1-D ResNet-34 over 12 leads, counted by hand: stem 5,504 + stages 74,496 + 379,136 + 2,300,416
            // + 4,463,616 (convolutions without bias, BN gamma and beta, 1x1 shortcuts) = 7,223,168.
            assertEquals(7_223_168L, counts.get("ecg_encoder"));
            // the spectrogram CNN: ~3.5 M as in the paper
            long spectral = counts.get("spectrogram_encoder");
            assertTrue(spectral > 3_300_000 && spectral < 3_700_000, "spectrogram CNN has " + spectral);
        }
    }

    @Test
    void ablationsDropTheSpectrogramBranchOrWlai() {
        TamerConfig small = new TamerConfig(12, 1000, 63, 17, List.of(1, 1), List.of(16, 32), List.of(16, 32), 32, 4,
                24, true, true);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            TamerNetwork noSpectrogram = new TamerNetwork(small.withSpectrogramBranch(false));
            noSpectrogram.initialize(manager);
            ParameterStore store = new ParameterStore(manager, false);
            EcgEmbedding ecg = noSpectrogram.embedEcg(store, manager.ones(new Shape(3, 12, 1000)), null, false);
            assertFalse(ecg.spectralGlobal().isPresent());
            assertEquals(new Shape(3, 250, 32), ecg.localTokens().getShape());
            assertFalse(noSpectrogram.parameterCounts().containsKey("spectrogram_encoder"));

            TamerNetwork noWlai = new TamerNetwork(small.withWlai(false));
            noWlai.initialize(manager);
            EcgEmbedding pooled = noWlai.embedEcg(store, manager.ones(new Shape(3, 12, 1000)),
                    manager.ones(new Shape(3, 12, 63, 17)), false);
            assertFalse(pooled.poolingWeights().isPresent());
            assertTrue(pooled.fused().sub(pooled.localTokens().mean(new int[] {1})).abs().max().getFloat() == 0f);
        }
    }
}
