package org.tamer.training.eval;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.tamer.runtime.inference.Calibration;

/**
 * How well a bundle's probabilities (its calibrated scores) match the labels of a set: per class the Brier score
 * (mean squared error of the probability) and the expected calibration error over ten equal-width probability bins,
 * and their means over the classes.
 *
 * @param classes   per class
 * @param meanBrier mean Brier score over the classes
 * @param meanEce   mean expected calibration error over the classes
 */
public record ProbabilityQuality(List<ClassQuality> classes, double meanBrier, double meanEce) {

    private static final int BINS = 10;

    /** One class: its calibration, its Brier score and ECE, and its prevalence and mean probability. */
    public record ClassQuality(String code, Calibration calibration, double brier, double ece, double prevalence,
                               double meanProbability) {
    }

    public ProbabilityQuality {
        classes = List.copyOf(classes);
    }

    /** The quality of the probabilities that {@code calibrations} give the scored set. */
    public static ProbabilityQuality of(ZeroShotScores scored, Function<String, Calibration> calibrations) {
        List<ClassQuality> out = new ArrayList<>();
        double brierSum = 0;
        double eceSum = 0;
        for (int c = 0; c < scored.classes().size(); c++) {
            String code = scored.classes().get(c);
            Calibration calibration = calibrations.apply(code);
            double[] s = scored.scoresOf(c);
            boolean[] y = scored.labelsOf(c);
            double[] p = new double[s.length];
            double brier = 0;
            double positives = 0;
            double meanProbability = 0;
            for (int i = 0; i < s.length; i++) {
                p[i] = calibration.probability(s[i]);
                double outcome = y[i] ? 1 : 0;
                brier += (p[i] - outcome) * (p[i] - outcome);
                positives += outcome;
                meanProbability += p[i];
            }
            brier /= s.length;
            double ece = expectedCalibrationError(p, y);
            out.add(new ClassQuality(code, calibration, brier, ece, positives / s.length, meanProbability / s.length));
            brierSum += brier;
            eceSum += ece;
        }
        return new ProbabilityQuality(out, brierSum / out.size(), eceSum / out.size());
    }

    static double expectedCalibrationError(double[] probabilities, boolean[] labels) {
        double[] count = new double[BINS];
        double[] confidence = new double[BINS];
        double[] frequency = new double[BINS];
        for (int i = 0; i < probabilities.length; i++) {
            int bin = Math.min(BINS - 1, (int) (probabilities[i] * BINS));
            count[bin]++;
            confidence[bin] += probabilities[i];
            frequency[bin] += labels[i] ? 1 : 0;
        }
        double error = 0;
        for (int bin = 0; bin < BINS; bin++) {
            if (count[bin] > 0) {
                error += Math.abs(confidence[bin] - frequency[bin]);
            }
        }
        return error / probabilities.length;
    }

    public String toJson() {
        JsonObject root = new JsonObject();
        root.addProperty("meanBrier", meanBrier);
        root.addProperty("meanExpectedCalibrationError", meanEce);
        JsonObject perClass = new JsonObject();
        for (ClassQuality c : classes) {
            JsonObject o = new JsonObject();
            o.addProperty("temperature", c.calibration().temperature());
            o.addProperty("bias", c.calibration().bias());
            o.addProperty("brier", c.brier());
            o.addProperty("expectedCalibrationError", c.ece());
            o.addProperty("prevalence", c.prevalence());
            o.addProperty("meanProbability", c.meanProbability());
            perClass.add(c.code(), o);
        }
        root.add("classes", perClass);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }

    public String toMarkdown(String title) {
        StringBuilder md = new StringBuilder("## " + title + "\n\n");
        md.append(String.format(Locale.ROOT, "Mean Brier score **%.4f**, mean expected calibration error **%.4f** "
                + "(%d probability bins).%n%n", meanBrier, meanEce, BINS));
        md.append("| class | calibration | Brier | ECE | prevalence | mean probability |\n"
                + "|---|---|---:|---:|---:|---:|\n");
        for (ClassQuality c : classes) {
            String calibration = c.calibration().isIdentity() ? "none (sigmoid of the score)"
                    : String.format(Locale.ROOT, "T = %.4g, b = %.4g", c.calibration().temperature(),
                            c.calibration().bias());
            md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.3f | %.3f |%n", c.code(), calibration,
                    c.brier(), c.ece(), c.prevalence(), c.meanProbability()));
        }
        return md.toString();
    }
}
