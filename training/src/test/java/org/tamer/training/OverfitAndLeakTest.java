package org.tamer.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.ReportFeatures;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.loss.TamerLossConfig;
import org.tamer.training.loss.TamerObjective;
import org.tamer.training.optim.AdamW;
import org.tamer.training.optim.CosineWarmRestarts;
import org.tamer.training.testing.RealPairs;
import org.tamer.training.testing.TestNetworks;

/**
 * The model can learn: a reduced TAMER network retrieves, for each of 16 real PTB-XL ECGs, its own report
 * (top-1, among 16 distinct reports) after a bounded number of full-batch steps. The same loop must not leak
 * native arrays: the count of live arrays is the same after step 10 and after the last step.
 */
class OverfitAndLeakTest {

    private static final int PAIRS = 16;
    private static final int MAX_STEPS = 150;

    @Test
    void retrievesSixteenRealReportsAndLeaksNothing() {
        Device device = ComputeEngine.load().device();
        ai.djl.engine.Engine.getInstance().setRandomSeed(20261124);
        RealPairs pairs = new RealPairs(PAIRS);
        try (TextEncoder text = TextEncoder.embeddedDefault(device);
             NDManager root = NDManager.newBaseManager(device)) {
            TamerNetwork network = new TamerNetwork(TestNetworks.SMALL);
            network.initialize(root);
            NDManager data = root.newSubManager();
            NDArray waveforms = pairs.waveforms(data);
            NDArray spectrograms = pairs.spectrograms(data);
            ReportFeatures reports = text.encode(pairs.reports(), data);
            try (AdamW optimizer = new AdamW(root, 1e-7f, 0.9f, 0.999f, 1e-8f)) {
                PretrainingStep step = new PretrainingStep(network, new TamerObjective(TamerLossConfig.paper()),
                        optimizer, new CosineWarmRestarts(1e-3f, 1e-3f, 1_000));
                int liveAfterTen = -1;
                int solvedAt = -1;
                Map<String, Float> last = null;
                for (int i = 1; i <= MAX_STEPS; i++) {
                    try (NDManager batch = root.newSubManager()) {
                        last = step.run(batch, waveforms, spectrograms, reports);
                    }
                    if (i == 10) {
                        liveAfterTen = root.getManagedArrays().size();
                    }
                    if (i >= 20 && i % 10 == 0 && solvedAt < 0 && correctRetrievals(network, root, waveforms,
                            spectrograms, reports) == PAIRS) {
                        solvedAt = i;
                    }
                }
                int liveAtEnd = root.getManagedArrays().size();
                System.out.printf("overfit: all %d reports retrieved at step %d (-1: never); last losses %s%n",
                        PAIRS, solvedAt, last);
                assertTrue(solvedAt > 0, "not all " + PAIRS + " reports retrieved within " + MAX_STEPS
                        + " steps; last losses " + last + ", retrieved "
                        + correctRetrievals(network, root, waveforms, spectrograms, reports));
                assertEquals(liveAfterTen, liveAtEnd, "live native arrays after step 10 vs step " + MAX_STEPS);
            }
        }
    }

    /** ECG→report top-1 hits with the network in inference mode (cosine of z^e and projected g^r). */
    private static int correctRetrievals(TamerNetwork network, NDManager root, NDArray waveforms,
                                         NDArray spectrograms, ReportFeatures reports) {
        try (NDManager scratch = root.newSubManager()) {
            scratch.tempAttachAll(waveforms, spectrograms, reports.global());
            ParameterStore store = new ParameterStore(scratch, false);
            NDArray z = network.forward(store, new NDList(waveforms, spectrograms), false).head();
            NDArray r = network.embedText(store, reports.global());
            NDArray similarity = normalise(z).matMul(normalise(r).transpose());
            long[] best = similarity.argMax(1).toLongArray();
            int hits = 0;
            for (int i = 0; i < best.length; i++) {
                hits += best[i] == i ? 1 : 0;
            }
            return hits;
        }
    }

    private static NDArray normalise(NDArray x) {
        return x.div(x.square().sum(new int[] {1}, true).sqrt());
    }
}
