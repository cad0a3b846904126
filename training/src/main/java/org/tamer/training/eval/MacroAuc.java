package org.tamer.training.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Per-class ROC AUC, their macro mean, and a percentile bootstrap interval over examples. */
public final class MacroAuc {

    private MacroAuc() {
    }

    /**
     * @param scores   {@code [example][class]}
     * @param labels   {@code [example][class]}
     * @param classes  class codes
     * @param resamples bootstrap resamples (0 for none)
     * @param seed     seed of the bootstrap
     */
    public static EvaluationReport evaluate(double[][] scores, boolean[][] labels, List<String> classes, int resamples,
                                            long seed) {
        int n = scores.length;
        List<EvaluationReport.ClassResult> results = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            double[] s = column(scores, c, null);
            boolean[] y = column(labels, c, null);
            int positives = 0;
            for (boolean b : y) {
                positives += b ? 1 : 0;
            }
            results.add(new EvaluationReport.ClassResult(classes.get(c), RocAuc.of(s, y), positives));
        }
        double macro = mean(results.stream().mapToDouble(EvaluationReport.ClassResult::auc).toArray());
        double[] boot = new double[resamples];
        Random random = new Random(seed);
        int[] sample = new int[n];
        for (int b = 0; b < resamples; b++) {
            for (int i = 0; i < n; i++) {
                sample[i] = random.nextInt(n);
            }
            double[] aucs = new double[classes.size()];
            for (int c = 0; c < classes.size(); c++) {
                aucs[c] = RocAuc.of(column(scores, c, sample), column(labels, c, sample));
            }
            boot[b] = mean(aucs);
        }
        double[] defined = Arrays.stream(boot).filter(v -> !Double.isNaN(v)).sorted().toArray();
        double lower = defined.length == 0 ? Double.NaN : defined[(int) Math.floor(0.025 * (defined.length - 1))];
        double upper = defined.length == 0 ? Double.NaN : defined[(int) Math.ceil(0.975 * (defined.length - 1))];
        return new EvaluationReport(results, macro, lower, upper, n, resamples);
    }

    private static double mean(double[] values) {
        double sum = 0;
        int count = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static double[] column(double[][] m, int c, int[] rows) {
        int n = rows == null ? m.length : rows.length;
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = m[rows == null ? i : rows[i]][c];
        }
        return out;
    }

    private static boolean[] column(boolean[][] m, int c, int[] rows) {
        int n = rows == null ? m.length : rows.length;
        boolean[] out = new boolean[n];
        for (int i = 0; i < n; i++) {
            out[i] = m[rows == null ? i : rows[i]][c];
        }
        return out;
    }
}
