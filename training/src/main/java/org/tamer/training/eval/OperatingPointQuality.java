package org.tamer.training.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.tamer.runtime.inference.Calibration;
import org.tamer.runtime.inference.OperatingPoints;

/**
 * How a bundle's operating points read a labelled split, as the gateway reads an ECG: per class, sensitivity and
 * specificity of "probability at or above the operating point"; overall, how many ECGs read normal (the normal class
 * the sole finding), abnormal (another class a finding) or indeterminate (none), against whether the ECG is
 * labelled normal only (the normal class and no other class of the set).
 *
 * @param classes       per class, in column order
 * @param normalOnly    ECGs labelled with the normal class and no other class
 * @param otherLabelled the remaining ECGs
 * @param readings      [labelled normal only: 0, other: 1][normal 0, abnormal 1, indeterminate 2] counts
 */
public record OperatingPointQuality(List<ClassPoint> classes, int normalOnly, int otherLabelled, int[][] readings) {

    /**
     * @param threshold   the class's operating point
     * @param positives   ECGs with the class
     * @param negatives   ECGs without it
     * @param sensitivity share of positives at or above the threshold (NaN without positives)
     * @param specificity share of negatives below it (NaN without negatives)
     */
    public record ClassPoint(String code, double threshold, int positives, int negatives, double sensitivity,
                             double specificity) {
    }

    public static OperatingPointQuality of(ZeroShotScores scored, Function<String, Calibration> calibration,
                                           OperatingPoints points, String normalClass) {
        int n = scored.examples();
        int k = scored.classes().size();
        boolean[][] finding = new boolean[n][k];
        List<ClassPoint> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            String code = scored.classes().get(c);
            Calibration cal = calibration.apply(code);
            double threshold = points.thresholdOf(code);
            double[] scores = scored.scoresOf(c);
            boolean[] labels = scored.labelsOf(c);
            int positives = 0;
            int truePositives = 0;
            int trueNegatives = 0;
            for (int i = 0; i < n; i++) {
                finding[i][c] = cal.probability(scores[i]) >= threshold;
                positives += labels[i] ? 1 : 0;
                truePositives += labels[i] && finding[i][c] ? 1 : 0;
                trueNegatives += !labels[i] && !finding[i][c] ? 1 : 0;
            }
            int negatives = n - positives;
            classes.add(new ClassPoint(code, threshold, positives, negatives,
                    positives == 0 ? Double.NaN : (double) truePositives / positives,
                    negatives == 0 ? Double.NaN : (double) trueNegatives / negatives));
        }
        int normal = scored.classes().indexOf(normalClass);
        if (normal < 0) {
            throw new IllegalArgumentException("the normal class " + normalClass + " is not among "
                    + scored.classes());
        }
        int[][] readings = new int[2][3];
        int normalOnly = 0;
        for (int i = 0; i < n; i++) {
            boolean labelledNormalOnly = scored.labels()[i][normal];
            boolean other = false;
            boolean any = false;
            for (int c = 0; c < k; c++) {
                labelledNormalOnly &= c == normal || !scored.labels()[i][c];
                other |= c != normal && finding[i][c];
                any |= finding[i][c];
            }
            normalOnly += labelledNormalOnly ? 1 : 0;
            readings[labelledNormalOnly ? 0 : 1][other ? 1 : any ? 0 : 2]++;
        }
        return new OperatingPointQuality(classes, normalOnly, n - normalOnly, readings);
    }

    /** Lines for the console, one per class and one per label group. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        for (ClassPoint c : classes) {
            out.add(String.format(Locale.ROOT, "%-8s operating point %.4f  sensitivity %.3f (%d positives)  "
                    + "specificity %.3f (%d negatives)", c.code(), c.threshold(), c.sensitivity(), c.positives(),
                    c.specificity(), c.negatives()));
        }
        out.add(String.format(Locale.ROOT, "labelled normal only (%d): read normal %d, abnormal %d, indeterminate %d",
                normalOnly, readings[0][0], readings[0][1], readings[0][2]));
        out.add(String.format(Locale.ROOT, "labelled otherwise (%d): read normal %d, abnormal %d, indeterminate %d",
                otherLabelled, readings[1][0], readings[1][1], readings[1][2]));
        return out;
    }
}
