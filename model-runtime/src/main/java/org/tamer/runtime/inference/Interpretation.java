package org.tamer.runtime.inference;

import java.util.List;
import java.util.Objects;

/**
 * What a diagnosis says overall, read at the model's operating points: normal only when the normal class clears its
 * threshold and no other class does; abnormal when any other class clears its threshold; indeterminate when no class
 * does.
 *
 * @param overall  the overall reading
 * @param findings the classes that cleared their thresholds, most probable first
 */
public record Interpretation(Overall overall, List<ClassScore> findings) {

    public enum Overall { NORMAL, ABNORMAL, INDETERMINATE }

    public Interpretation {
        Objects.requireNonNull(overall, "overall");
        findings = List.copyOf(findings);
    }

    public static Interpretation of(Diagnosis diagnosis, OperatingPoints points, String normalClass) {
        List<ClassScore> positive = diagnosis.top(diagnosis.scores().size()).stream()
                .filter(s -> s.probability() >= points.thresholdOf(s.code())).toList();
        boolean abnormal = positive.stream().anyMatch(s -> !s.code().equals(normalClass));
        Overall overall = abnormal ? Overall.ABNORMAL : positive.isEmpty() ? Overall.INDETERMINATE : Overall.NORMAL;
        return new Interpretation(overall, positive);
    }
}
