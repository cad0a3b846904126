package org.tamer.training.eval;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.tamer.runtime.inference.ClassEmbeddings;
import org.tamer.runtime.inference.PromptDictionary;
import org.tamer.runtime.network.TamerNetwork;
import org.tamer.runtime.text.TextEncoder;
import org.tamer.training.dataset.DatasetExample;

/**
 * Zero-shot evaluation: every example is scored against every class by the cosine similarity of its fused ECG
 * embedding z^e and the class's prompt embedding; per-class ROC AUC, macro AUC and its bootstrap interval follow.
 */
public final class ZeroShotEvaluator {

    private final TamerNetwork network;
    private final TextEncoder textEncoder;
    private final org.tamer.runtime.spectrogram.StftConfig stft;

    /** With the paper's STFT settings. */
    public ZeroShotEvaluator(TamerNetwork network, TextEncoder textEncoder) {
        this(network, textEncoder, org.tamer.runtime.spectrogram.StftConfig.paperDefaults());
    }

    /** @param stft the spectrogram settings the network was trained with (a bundle's) */
    public ZeroShotEvaluator(TamerNetwork network, TextEncoder textEncoder,
                             org.tamer.runtime.spectrogram.StftConfig stft) {
        this.network = network;
        this.textEncoder = textEncoder;
        this.stft = java.util.Objects.requireNonNull(stft, "stft");
    }

    public EvaluationReport evaluate(List<DatasetExample> examples, PromptDictionary prompts,
                                     EvaluationOptions options, NDManager manager) {
        ZeroShotScores scored = score(examples, prompts, options, manager);
        return MacroAuc.evaluate(scored.scores(), scored.labels(), scored.classes(), options.bootstrap(),
                options.seed(), options.minPositives());
    }

    /** Every example's score for every class, and its labels (through the options' label mapping, if any). */
    public ZeroShotScores score(List<DatasetExample> examples, PromptDictionary prompts, EvaluationOptions options,
                                NDManager manager) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no examples to evaluate");
        }
        List<String> classes = prompts.classes();
        List<float[]> classEmbeddings = ClassEmbeddings.compute(network, textEncoder, prompts, manager);
        float[][] embeddings = new EcgEmbedder(network, stft).embed(examples, options, manager);
        double[][] scores = new double[examples.size()][classes.size()];
        boolean[][] labels = new boolean[examples.size()][classes.size()];
        for (int i = 0; i < examples.size(); i++) {
            for (int c = 0; c < classes.size(); c++) {
                double dot = 0;
                for (int k = 0; k < embeddings[i].length; k++) {
                    dot += embeddings[i][k] * classEmbeddings.get(c)[k];
                }
                scores[i][c] = dot;
            }
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
        return new ZeroShotScores(classes, scores, labels);
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
