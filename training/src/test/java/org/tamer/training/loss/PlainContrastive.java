package org.tamer.training.loss;

/**
 * The losses of Eqs. 1 and 4 written the straightforward way, in double precision with explicit loops, as the
 * reference the NDArray implementation is checked against.
 */
final class PlainContrastive {

    private PlainContrastive() {
    }

    static double symmetricInfoNce(double[][] a, double[][] b, double tau, InfoNceDenominator denominator) {
        int n = a.length;
        double[][] s = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                s[i][j] = cosine(a[i], b[j]) / tau;
            }
        }
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += 0.5 * (term(s, i, true, null, denominator) + term(s, i, false, null, denominator));
        }
        return total / n;
    }

    static double tokenWeightedInfoNce(double[][][] tokens, double[][][] attended, double[][] mask,
                                       double[][] weights, double lambda, InfoNceDenominator denominator) {
        double total = 0;
        for (int b = 0; b < tokens.length; b++) {
            int n = tokens[b].length;
            double[][] s = new double[n][n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    s[i][j] = cosine(tokens[b][i], attended[b][j]) / lambda;
                }
            }
            boolean[] real = new boolean[n];
            for (int i = 0; i < n; i++) {
                real[i] = mask == null || mask[b][i] > 0;
            }
            for (int i = 0; i < n; i++) {
                if (real[i] && weights[b][i] != 0) {
                    total += weights[b][i] * 0.5 * (term(s, i, true, real, denominator)
                            + term(s, i, false, real, denominator));
                }
            }
        }
        return total / tokens.length;
    }

    /** −log of the positive's share of row i (byRow) or column i, over the real candidates. */
    private static double term(double[][] s, int i, boolean byRow, boolean[] real, InfoNceDenominator denominator) {
        double positive = s[i][i];
        double sum = 0;
        for (int k = 0; k < s.length; k++) {
            if (real != null && !real[k]) {
                continue;
            }
            if (denominator == InfoNceDenominator.NEGATIVES_ONLY && k == i) {
                continue;
            }
            sum += Math.exp(byRow ? s[i][k] : s[k][i]);
        }
        return Math.log(sum) - positive;
    }

    static double cosine(double[] x, double[] y) {
        double dot = 0;
        double nx = 0;
        double ny = 0;
        for (int i = 0; i < x.length; i++) {
            dot += x[i] * y[i];
            nx += x[i] * x[i];
            ny += y[i] * y[i];
        }
        return dot / (Math.sqrt(nx) * Math.sqrt(ny));
    }
}
