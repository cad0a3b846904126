package org.tamer.training.eval;

import java.util.List;

/**
 * The zero-shot scores of a labelled set: for every example and class, the cosine similarity of the ECG's fused
 * embedding with the class's prompt embedding, and whether the example carries the class.
 *
 * @param classes class codes, in column order
 * @param scores  [example][class] cosine scores
 * @param labels  [example][class] true where the example has the class
 */
public record ZeroShotScores(List<String> classes, double[][] scores, boolean[][] labels) {

    public ZeroShotScores {
        classes = List.copyOf(classes);
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " score rows but " + labels.length + " label rows");
        }
    }

    public int examples() {
        return scores.length;
    }

    /** One class's scores, in example order. */
    public double[] scoresOf(int column) {
        double[] out = new double[scores.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = scores[i][column];
        }
        return out;
    }

    /** One class's labels, in example order. */
    public boolean[] labelsOf(int column) {
        boolean[] out = new boolean[labels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = labels[i][column];
        }
        return out;
    }
}
