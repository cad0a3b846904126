package org.tamer.runtime.inference;

import java.util.Comparator;
import java.util.List;

/**
 * The zero-shot result for one ECG: a score per class, in the prompt dictionary's order.
 *
 * @param recordId the record the scores belong to
 * @param scores   one entry per class
 */
public record Diagnosis(String recordId, List<ClassScore> scores) {

    public Diagnosis {
        scores = List.copyOf(scores);
    }

    /**
     * The {@code n} most probable classes, best first. With a calibrated bundle the probabilities of different
     * classes are comparable where their raw scores are not (each class's scores sit in a band of their own); without
     * calibration the probability is the same increasing function of every class's score, so the order is the
     * scores' order. Ties go to the higher score.
     */
    public List<ClassScore> top(int n) {
        return scores.stream().sorted(Comparator.comparingDouble(ClassScore::probability)
                .thenComparingDouble(ClassScore::score).reversed()).limit(n).toList();
    }
}
