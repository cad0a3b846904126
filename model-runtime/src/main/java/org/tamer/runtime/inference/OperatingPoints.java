package org.tamer.runtime.inference;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Per class, the probability at or above which the class is reported as a finding, and how these thresholds were
 * chosen (e.g. "Youden's J on VALIDATION, 77 ECGs"). A class without a threshold is reported at
 * {@link #DEFAULT_THRESHOLD}.
 *
 * @param thresholds per class code, a probability in (0, 1)
 * @param method     how they were chosen; empty when the bundle names none
 */
public record OperatingPoints(Map<String, Double> thresholds, String method) {

    /** The threshold of a class that has none: a calibrated probability of one half. */
    public static final double DEFAULT_THRESHOLD = 0.5;
    public static final OperatingPoints NONE = new OperatingPoints(Map.of(), "");

    public OperatingPoints {
        Objects.requireNonNull(method, "method");
        for (Map.Entry<String, Double> e : thresholds.entrySet()) {
            if (!(e.getValue() > 0 && e.getValue() < 1)) {
                throw new IllegalArgumentException("the operating point of class " + e.getKey()
                        + " must be a probability in (0, 1), got " + e.getValue());
            }
        }
        thresholds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    }

    public Optional<Double> of(String code) {
        return Optional.ofNullable(thresholds.get(code));
    }

    public double thresholdOf(String code) {
        return thresholds.getOrDefault(code, DEFAULT_THRESHOLD);
    }

    /** These operating points with some classes' thresholds replaced (e.g. by the gateway's configuration). */
    public OperatingPoints overriddenBy(Map<String, Double> overrides, String source) {
        if (overrides.isEmpty()) {
            return this;
        }
        Map<String, Double> merged = new LinkedHashMap<>(thresholds);
        merged.putAll(overrides);
        String described = (method.isEmpty() ? "" : method + "; ") + overrides.keySet() + " set by " + source;
        return new OperatingPoints(merged, described);
    }
}
