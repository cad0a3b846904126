package org.tamer.training.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Per-class ROC AUC, their macro mean and a percentile bootstrap interval over examples, over a fixed class set: the
 * classes with at least {@code minPositives} positives and one negative in the evaluated set. Every bootstrap
 * resample averages over that same set (a resample in which one of its classes lacks a positive or a negative is
 * drawn again, and counted), so intervals are comparable between sets and models.
 */
public final class MacroAuc {

    /** Redraws allowed per requested resample before the class set is declared too thin for the bootstrap. */
    private static final int MAX_REDRAWS_PER_RESAMPLE = 100;

    private MacroAuc() {
    }

    /** {@link #evaluate(double[][], boolean[][], List, int, long, int)} over classes with at least one positive. */
    public static EvaluationReport evaluate(double[][] scores, boolean[][] labels, List<String> classes, int resamples,
                                            long seed) {
        return evaluate(scores, labels, classes, resamples, seed, 1);
    }

    /**
     * @param scores       {@code [example][class]}
     * @param labels       {@code [example][class]}
     * @param classes      class codes
     * @param resamples    bootstrap resamples (0 for none)
     * @param seed         seed of the bootstrap
     * @param minPositives positives a class needs to enter the fixed class set (at least 1)
     * @return the report; its macro AUC and interval are NaN when no class qualifies
     * @throws IllegalArgumentException when the bootstrap cannot keep the class set defined
     */
    public static EvaluationReport evaluate(double[][] scores, boolean[][] labels, List<String> classes, int resamples,
                                            long seed, int minPositives) {
        if (minPositives < 1) {
            throw new IllegalArgumentException("minPositives must be at least 1, got " + minPositives);
        }
        int n = scores.length;
        List<EvaluationReport.ClassResult> results = new ArrayList<>();
        List<Integer> fixed = new ArrayList<>();
        for (int c = 0; c < classes.size(); c++) {
            double[] s = column(scores, c, null);
            boolean[] y = column(labels, c, null);
            int positives = 0;
            for (boolean b : y) {
                positives += b ? 1 : 0;
            }
            boolean included = positives >= minPositives && positives < n;
            if (included) {
                fixed.add(c);
            }
            results.add(new EvaluationReport.ClassResult(classes.get(c), RocAuc.of(s, y), positives, included));
        }
        if (fixed.isEmpty()) {
            // no class qualifies: nothing to average, no interval (the report says which classes had what)
            return new EvaluationReport(results, Double.NaN, Double.NaN, Double.NaN, n, resamples, minPositives, 0);
        }
        double macro = fixed.stream().mapToDouble(c -> results.get(c).auc()).average().orElseThrow();
        double[] boot = new double[resamples];
        Random random = new Random(seed);
        int[] sample = new int[n];
        long redrawn = 0;
        long maxRedraws = (long) MAX_REDRAWS_PER_RESAMPLE * Math.max(1, resamples);
        for (int b = 0; b < resamples; b++) {
            double mean = Double.NaN;
            while (Double.isNaN(mean)) {
                for (int i = 0; i < n; i++) {
                    sample[i] = random.nextInt(n);
                }
                double sum = 0;
                for (int c : fixed) {
                    double auc = RocAuc.of(column(scores, c, sample), column(labels, c, sample));
                    if (Double.isNaN(auc)) {
                        sum = Double.NaN;
                        break;
                    }
                    sum += auc;
                }
                if (Double.isNaN(sum)) {
                    if (++redrawn > maxRedraws) {
                        throw new IllegalArgumentException("the bootstrap drew " + redrawn + " resamples in which a "
                                + "class of the fixed set had no positive or no negative; raise the minimum positives "
                                + "(now " + minPositives + ")");
                    }
                } else {
                    mean = sum / fixed.size();
                }
            }
            boot[b] = mean;
        }
        double[] sorted = Arrays.stream(boot).sorted().toArray();
        double lower = sorted.length == 0 ? Double.NaN : sorted[(int) Math.floor(0.025 * (sorted.length - 1))];
        double upper = sorted.length == 0 ? Double.NaN : sorted[(int) Math.ceil(0.975 * (sorted.length - 1))];
        return new EvaluationReport(results, macro, lower, upper, n, resamples, minPositives, redrawn);
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
