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

    /** The {@code n} classes with the highest scores, best first. */
    public List<ClassScore> top(int n) {
        return scores.stream().sorted(Comparator.comparingDouble(ClassScore::score).reversed()).limit(n).toList();
    }
}
