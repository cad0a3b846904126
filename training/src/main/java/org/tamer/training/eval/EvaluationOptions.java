package org.tamer.training.eval;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a zero-shot evaluation prepares inputs and labels.
 *
 * @param swapLeads4And5  exchange the waveform rows at 0-based indices 4 and 5 (aVL and aVF), as MERL does for
 *                        some benchmarks
 * @param cropSamples     keep only the first N samples and zero-pad the rest (MERL's CPSC protocol uses 2500);
 *                        empty to keep the whole waveform
 * @param labelMapping    for domain-shift evaluation, evaluated class → source labels counting as positive;
 *                        empty when the classes are the labels themselves
 * @param bootstrap       bootstrap resamples for the macro-AUC interval
 * @param seed            bootstrap seed
 * @param minPositives    positives a class needs to enter the fixed class set of the macro AUC and its bootstrap
 */
public record EvaluationOptions(boolean swapLeads4And5, Optional<Integer> cropSamples,
                                Optional<Map<String, List<String>>> labelMapping, int bootstrap, long seed,
                                int minPositives) {

    public EvaluationOptions {
        Objects.requireNonNull(cropSamples, "cropSamples");
        Objects.requireNonNull(labelMapping, "labelMapping");
        if (bootstrap < 0) {
            throw new IllegalArgumentException("bootstrap must not be negative");
        }
        if (minPositives < 1) {
            throw new IllegalArgumentException("the minimum positives of a class must be at least 1");
        }
    }

    /** Options over every class with at least one positive. */
    public EvaluationOptions(boolean swapLeads4And5, Optional<Integer> cropSamples,
                             Optional<Map<String, List<String>>> labelMapping, int bootstrap, long seed) {
        this(swapLeads4And5, cropSamples, labelMapping, bootstrap, seed, 1);
    }

    public static EvaluationOptions standard() {
        return new EvaluationOptions(false, Optional.empty(), Optional.empty(), 1000, 42L);
    }
}
