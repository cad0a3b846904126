package org.tamer.training.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.tamer.runtime.inference.ClassEmbeddings;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.spectrogram.SpectrogramTransform;
import org.tamer.runtime.spectrogram.StftConfig;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.DatasetExample;

/**
 * Zero-shot evaluation: every example is scored against every class by the cosine similarity of its fused ECG
 * embedding z^e and the class's prompt embedding; per-class ROC AUC, macro AUC and its bootstrap interval follow.
 */
public final class ZeroShotEvaluator {

    private static final int BATCH = 16;

    private final TamerNetwork network;
    private final TextEncoder textEncoder;

    public ZeroShotEvaluator(TamerNetwork network, TextEncoder textEncoder) {
        this.network = network;
        this.textEncoder = textEncoder;
    }

    public EvaluationReport evaluate(List<DatasetExample> examples, PromptDictionary prompts,
                                     EvaluationOptions options, NDManager manager) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to evaluate");
        }
        List<String> classes = prompts.classes();
        List<float[]> classEmbeddings = ClassEmbeddings.compute(network, textEncoder, prompts, manager);
        double[][] scores = new double[examples.size()][];
        boolean[][] labels = new boolean[examples.size()][classes.size()];
        SpectrogramTransform stft = new SpectrogramTransform(StftConfig.paperDefaults());
        for (int from = 0; from < examples.size(); from += BATCH) {
            List<DatasetExample> batch = examples.subList(from, Math.min(examples.size(), from + BATCH));
            double[][] batchScores = score(batch, classEmbeddings, options, stft, manager);
            System.arraycopy(batchScores, 0, scores, from, batch.size());
        }
        for (int i = 0; i < examples.size(); i++) {
            List<String> known = examples.get(i).labels();
            for (int c = 0; c < classes.size(); c++) {
                String code = classes.get(c);
                labels[i][c] = options.labelMapping()
                        .map(mapping -> mapping.getOrDefault(code, List.of()).stream().anyMatch(known::contains))
                        .orElse(known.contains(code));
            }
        }
        return MacroAuc.evaluate(scores, labels, classes, options.bootstrap(), options.seed());
    }

    private double[][] score(List<DatasetExample> batch, List<float[]> classEmbeddings, EvaluationOptions options,
                             SpectrogramTransform stft, NDManager manager) {
        int leads = 12;
        int length = batch.get(0).waveform().length / leads;
        StftConfig c = stft.config();
        int specSize = leads * c.frequencyBins() * c.frames(length);
        float[] waves = new float[batch.size() * leads * length];
        float[] specs = new float[batch.size() * specSize];
        for (int i = 0; i < batch.size(); i++) {
            float[] w = prepare(batch.get(i).waveform(), leads, length, options);
            System.arraycopy(w, 0, waves, i * leads * length, w.length);
            for (int l = 0; l < leads; l++) {
                stft.transformLead(w, l * length, length, specs, i * specSize + l * c.frequencyBins() * c.frames(length));
            }
        }
        int d = classEmbeddings.get(0).length;
        float[] classes = new float[classEmbeddings.size() * d];
        for (int k = 0; k < classEmbeddings.size(); k++) {
            System.arraycopy(classEmbeddings.get(k), 0, classes, k * d, d);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray waveform = m.create(waves, new Shape(batch.size(), leads, length));
            NDArray spectrogram = m.create(specs, new Shape(batch.size(), leads, c.frequencyBins(), c.frames(length)));
            NDArray z = network.forward(new ParameterStore(m, false), new NDList(waveform, spectrogram), false).head();
            NDArray unit = z.div(z.square().sum(new int[] {1}, true).maximum(1e-24f).sqrt());
            float[] s = unit.matMul(m.create(classes, new Shape(classEmbeddings.size(), d)).transpose()).toFloatArray();
            double[][] out = new double[batch.size()][classEmbeddings.size()];
            for (int i = 0; i < batch.size(); i++) {
                for (int k = 0; k < classEmbeddings.size(); k++) {
                    out[i][k] = s[i * classEmbeddings.size() + k];
                }
            }
            return out;
        }
    }

    /** The MERL protocol options applied to a stored waveform (a copy). */
    static float[] prepare(float[] stored, int leads, int length, EvaluationOptions options) {
        float[] w = stored.clone();
        if (options.swapLeads4And5()) {
            float[] four = java.util.Arrays.copyOfRange(w, 4 * length, 5 * length);
            System.arraycopy(w, 5 * length, w, 4 * length, length);
            System.arraycopy(four, 0, w, 5 * length, length);
        }
        options.cropSamples().ifPresent(keep -> {
            for (int l = 0; l < leads; l++) {
                java.util.Arrays.fill(w, l * length + Math.min(keep, length), (l + 1) * length, 0f);
            }
        });
        return w;
    }
}
