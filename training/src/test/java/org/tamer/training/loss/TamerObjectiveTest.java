package org.tamer.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.CrossAttended;
import org.tamer.runtime.network.EcgEmbedding;
import org.tamer.runtime.network.ReportEmbedding;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.ReportFeatures;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.testing.RealPairs;
import org.tamer.training.testing.TestNetworks;

/** The whole objective on real ECG–report pairs: each term against the plain reference, and the gradients. */
class TamerObjectiveTest {

    private static Device device;
    private static TextEncoder textEncoder;
    private static RealPairs pairs;

    @BeforeAll
    static void setUp() {
        device = ComputeEngine.load().device();
        textEncoder = TextEncoder.embeddedDefault(device);
        pairs = new RealPairs(4);
    }

    @AfterAll
    static void tearDown() {
        textEncoder.close();
    }

    @Test
    void everyTermEqualsThePlainReferenceOnTheNetworksOwnOutputs() {
        TamerLossConfig config = new TamerLossConfig(0.04f, 0.04f, 0f, true, true, true, true,
                InfoNceDenominator.ALL_PAIRS, EcgTokenWeighting.UNIFORM);
        try (NDManager manager = NDManager.newBaseManager(device)) {
            TamerNetwork network = new TamerNetwork(TestNetworks.SMALL);
            network.initialize(manager);
            NDArray waveforms = pairs.waveforms(manager);
            NDArray spectrograms = pairs.spectrograms(manager);
            ReportFeatures report = textEncoder.encode(pairs.reports(), manager);
            ParameterStore store = new ParameterStore(manager, false);
            LossTerms terms = new TamerObjective(config).evaluate(network, store, waveforms, spectrograms, report);

            EcgEmbedding ecg = network.embedEcg(store, waveforms, spectrograms, true);
            ReportEmbedding text = network.embedReport(store, report, true);
            CrossAttended cross = network.crossAttend(store, ecg.localTokens(), text, true);
            double[][] z = matrix(ecg.fused());
            assertClose(PlainContrastive.symmetricInfoNce(matrix(ecg.temporalGlobal()),
                    matrix(ecg.spectralGlobal().orElseThrow()), 0.04, InfoNceDenominator.ALL_PAIRS),
                    terms.rlca().orElseThrow().getFloat(), "RLCA");
            assertClose(PlainContrastive.symmetricInfoNce(z, z, 0.04, InfoNceDenominator.ALL_PAIRS),
                    terms.uecr().orElseThrow().getFloat(), "UECR without dropout");
            assertClose(PlainContrastive.symmetricInfoNce(z, matrix(text.global()), 0.04,
                    InfoNceDenominator.ALL_PAIRS), terms.rada().orElseThrow().getFloat(), "RADA");
            int ecgTokens = (int) ecg.localTokens().getShape().get(1);
            double ecgSide = PlainContrastive.tokenWeightedInfoNce(tensor(ecg.localTokens()),
                    tensor(cross.ecgFromReport()), null, ContrastiveTest.uniform(4, ecgTokens), 0.04,
                    InfoNceDenominator.ALL_PAIRS);
            double reportSide = PlainContrastive.tokenWeightedInfoNce(tensor(text.tokens()),
                    tensor(cross.reportFromEcg()), matrix(text.mask()), matrix(text.clsAttention()), 0.04,
                    InfoNceDenominator.ALL_PAIRS);
            assertClose(0.5 * (ecgSide + reportSide), terms.rgwr().orElseThrow().getFloat(), "RGWR");
            assertClose(terms.rlca().get().getFloat() + terms.uecr().get().getFloat() + terms.rada().get().getFloat()
                    + terms.rgwr().get().getFloat(), terms.total().getFloat(), "total");
        }
    }

    @Test
    void everyTrainableParameterGetsAGradientAndTheTextEncoderNone() {
        try (NDManager manager = NDManager.newBaseManager(device)) {
            TamerNetwork network = new TamerNetwork(TestNetworks.SMALL);
            network.initialize(manager);
            try (NDManager batch = manager.newSubManager()) {
                ReportFeatures report = textEncoder.encode(pairs.reports(), batch);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    LossTerms terms = new TamerObjective(TamerLossConfig.paper()).evaluate(network,
                            new ParameterStore(batch, false), pairs.waveforms(batch), pairs.spectrograms(batch),
                            report);
                    collector.backward(terms.total());
                }
                List<String> withoutGradient = new ArrayList<>();
                int trainable = 0;
                for (Pair<String, Parameter> p : network.getParameters()) {
                    if (!p.getValue().requiresGradient()) {
                        continue;
                    }
                    trainable++;
                    try (NDArray gradient = p.getValue().getArray().getGradient()) {
                        if (gradient.abs().sum().getFloat() == 0f) {
                            withoutGradient.add(p.getKey());
                        }
                    }
                }
                assertTrue(trainable > 50, "only " + trainable + " trainable parameters");
                assertEquals(List.of(), withoutGradient, "parameters without gradient");
                for (Pair<String, Parameter> p : textEncoder.block().getParameters()) {
                    assertFalse(p.getValue().requiresGradient(), p.getKey());
                    assertFalse(p.getValue().getArray().hasGradient(), p.getKey());
                }
            }
        }
    }

    private static void assertClose(double expected, float actual, String what) {
        assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), what);
    }

    static double[][] matrix(NDArray x) {
        int rows = (int) x.getShape().get(0);
        int columns = (int) x.getShape().get(1);
        float[] flat = x.toFloatArray();
        double[][] out = new double[rows][columns];
        for (int i = 0; i < flat.length; i++) {
            out[i / columns][i % columns] = flat[i];
        }
        return out;
    }

    static double[][][] tensor(NDArray x) {
        int a = (int) x.getShape().get(0);
        int b = (int) x.getShape().get(1);
        int c = (int) x.getShape().get(2);
        float[] flat = x.toFloatArray();
        double[][][] out = new double[a][b][c];
        for (int i = 0; i < flat.length; i++) {
            out[i / (b * c)][(i / c) % b][i % c] = flat[i];
        }
        return out;
    }
}
