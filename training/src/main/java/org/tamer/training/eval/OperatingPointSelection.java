package org.tamer.training.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.tamer.runtime.inference.Calibration;
import org.tamer.runtime.inference.OperatingPoints;

/**
 * Chooses each class's operating point (the probability from which it is reported) on a labelled split by Youden's
 * J: the threshold that maximises sensitivity + specificity - 1. The candidates are the midpoints between
 * consecutive distinct calibrated probabilities of the split, so the chosen threshold never sits on an example; ties
 * in J go to the higher threshold (fewer false findings). A class whose split holds no positive or no negative gets
 * none.
 */
public final class OperatingPointSelection {

    private OperatingPointSelection() {
    }

    /**
     * @param scored      the split's zero-shot scores and labels
     * @param calibration each class's calibration, as the bundle will apply it
     * @param splitName   how the split is named in the method text, e.g. {@code VALIDATION}
     */
    public static OperatingPoints youden(ZeroShotScores scored, Function<String, Calibration> calibration,
                                         String splitName) {
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (int c = 0; c < scored.classes().size(); c++) {
            String code = scored.classes().get(c);
            Calibration cal = calibration.apply(code);
            double[] probabilities = Arrays.stream(scored.scoresOf(c)).map(cal::probability).toArray();
            youden(probabilities, scored.labelsOf(c)).ifPresent(t -> thresholds.put(code, t));
        }
        return new OperatingPoints(thresholds, "Youden's J (max sensitivity + specificity - 1) on the calibrated "
                + "probabilities of " + splitName + ", " + scored.examples() + " ECGs");
    }

    /** The Youden-optimal threshold of one class, or empty without positives and negatives. */
    public static Optional<Double> youden(double[] probabilities, boolean[] labels) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(probabilities.length + " probabilities but " + labels.length
                    + " labels");
        }
        int positives = 0;
        for (boolean label : labels) {
            positives += label ? 1 : 0;
        }
        int negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            return Optional.empty();
        }
        double[] distinct = Arrays.stream(probabilities).distinct().sorted().toArray();
        double best = Double.NEGATIVE_INFINITY;
        double chosen = Double.NaN;
        for (int i = 0; i + 1 < distinct.length; i++) {
            double threshold = (distinct[i] + distinct[i + 1]) / 2;
            if (!(threshold > 0 && threshold < 1)) {
                continue;
            }
            int truePositives = 0;
            int trueNegatives = 0;
            for (int k = 0; k < labels.length; k++) {
                boolean reported = probabilities[k] >= threshold;
                truePositives += reported && labels[k] ? 1 : 0;
                trueNegatives += !reported && !labels[k] ? 1 : 0;
            }
            double j = (double) truePositives / positives + (double) trueNegatives / negatives - 1;
            if (j >= best) {
                best = j;
                chosen = threshold;
            }
        }
        return Double.isNaN(chosen) ? Optional.empty() : Optional.of(chosen);
    }
}
