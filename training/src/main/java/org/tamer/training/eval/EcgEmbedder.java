package org.tamer.training.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.training.dataset.DatasetExample;

/** Unit-length fused ECG embeddings z^e of dataset examples, computed in batches in inference mode. */
public final class EcgEmbedder {

    private static final int BATCH = 16;

    private final TamerNetwork network;
    private final StftConfig stftConfig;

    /** With the paper's STFT settings. */
    public EcgEmbedder(TamerNetwork network) {
        this(network, StftConfig.paperDefaults());
    }

    /** @param stftConfig the spectrogram settings the network was trained with (a bundle's) */
    public EcgEmbedder(TamerNetwork network, StftConfig stftConfig) {
        this.network = java.util.Objects.requireNonNull(network, "network");
        this.stftConfig = java.util.Objects.requireNonNull(stftConfig, "stftConfig");
    }

    /** {@code [example][D]}; the options' MERL input adjustments are applied first. */
    public float[][] embed(List<DatasetExample> examples, EvaluationOptions options, NDManager manager) {
        float[][] out = new float[examples.size()][];
        SpectrogramTransform stft = new SpectrogramTransform(stftConfig);
        for (int from = 0; from < examples.size(); from += BATCH) {
            List<DatasetExample> batch = examples.subList(from, Math.min(examples.size(), from + BATCH));
            int leads = 12;
            int length = batch.get(0).waveform().length / leads;
            StftConfig c = stft.config();
            int specSize = leads * c.frequencyBins() * c.frames(length);
            float[] waves = new float[batch.size() * leads * length];
            float[] specs = new float[batch.size() * specSize];
            for (int i = 0; i < batch.size(); i++) {
                float[] w = ZeroShotEvaluator.prepare(batch.get(i).waveform(), leads, length, options);
                System.arraycopy(w, 0, waves, i * leads * length, w.length);
                for (int l = 0; l < leads; l++) {
                    stft.transformLead(w, l * length, length, specs,
                            i * specSize + l * c.frequencyBins() * c.frames(length));
                }
            }
            try (NDManager m = manager.newSubManager()) {
                NDArray waveform = m.create(waves, new Shape(batch.size(), leads, length));
                NDArray spectrogram = m.create(specs, new Shape(batch.size(), leads, c.frequencyBins(),
                        c.frames(length)));
                NDArray z = network.forward(new ParameterStore(m, false), new NDList(waveform, spectrogram), false)
                        .head();
                NDArray unit = z.div(z.square().sum(new int[] {1}, true).maximum(1e-24f).sqrt());
                int d = (int) unit.getShape().get(1);
                float[] flat = unit.toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    out[from + i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                }
            }
        }
        return out;
    }
}
