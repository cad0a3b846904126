package org.tamer.training.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.engine.ComputeEngine;

/** Eqs. 1 and 4 in NDArrays against the plain double-loop reference, on small inputs, within 1e-5. */
class ContrastiveTest {

    private final ComputeEngine engine = ComputeEngine.load();

    @Test
    void symmetricInfoNceMatchesTheReferenceForBothDenominators() {
        Random random = new Random(7);
        double[][] a = matrix(random, 6, 5);
        double[][] b = matrix(random, 6, 5);
        try (NDManager m = NDManager.newBaseManager(engine.device())) {
            for (InfoNceDenominator denominator : InfoNceDenominator.values()) {
                for (float tau : new float[] {0.04f, 0.5f}) {
                    double expected = PlainContrastive.symmetricInfoNce(a, b, tau, denominator);
                    float actual = Contrastive.symmetricInfoNce(array(m, a), array(m, b), tau, denominator)
                            .getFloat();
                    assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)),
                            denominator + " tau " + tau);
                }
            }
        }
    }

    @Test
    void tokenWeightedInfoNceMatchesTheReferenceWithPaddingAndWeights() {
        Random random = new Random(11);
        int batch = 3;
        int n = 7;
        double[][][] tokens = new double[batch][][];
        double[][][] attended = new double[batch][][];
        double[][] mask = new double[batch][n];
        double[][] weights = new double[batch][n];
        int[] real = {7, 4, 5};
        for (int b = 0; b < batch; b++) {
            tokens[b] = matrix(random, n, 4);
            attended[b] = matrix(random, n, 4);
            double sum = 0;
            for (int i = 0; i < real[b]; i++) {
                mask[b][i] = 1;
                weights[b][i] = 0.1 + random.nextDouble();
                sum += weights[b][i];
            }
            for (int i = 0; i < n; i++) {
                weights[b][i] /= sum;
            }
        }
        try (NDManager m = NDManager.newBaseManager(engine.device())) {
            for (InfoNceDenominator denominator : InfoNceDenominator.values()) {
                double expected = PlainContrastive.tokenWeightedInfoNce(tokens, attended, mask, weights, 0.04,
                        denominator);
                float actual = Contrastive.tokenWeightedInfoNce(array3(m, tokens), array3(m, attended),
                        array(m, mask), array(m, weights), 0.04f, denominator).getFloat();
                assertEquals(expected, actual, 1e-5 * Math.max(1, Math.abs(expected)), denominator.toString());
            }
            double unmasked = PlainContrastive.tokenWeightedInfoNce(tokens, attended, null, uniform(batch, n), 0.04,
                    InfoNceDenominator.ALL_PAIRS);
            float actual = Contrastive.tokenWeightedInfoNce(array3(m, tokens), array3(m, attended), null,
                    array(m, uniform(batch, n)), 0.04f, InfoNceDenominator.ALL_PAIRS).getFloat();
            assertEquals(unmasked, actual, 1e-5 * Math.max(1, unmasked));
        }
    }

    static double[][] uniform(int rows, int n) {
        double[][] w = new double[rows][n];
        for (double[] row : w) {
            java.util.Arrays.fill(row, 1.0 / n);
        }
        return w;
    }

    static double[][] matrix(Random random, int rows, int columns) {
        double[][] x = new double[rows][columns];
        for (double[] row : x) {
            for (int j = 0; j < columns; j++) {
                row[j] = random.nextGaussian();
            }
        }
        return x;
    }

    static NDArray array(NDManager m, double[][] x) {
        float[] flat = new float[x.length * x[0].length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 0; j < x[0].length; j++) {
                flat[i * x[0].length + j] = (float) x[i][j];
                x[i][j] = flat[i * x[0].length + j]; // the reference sees the same float32 values
            }
        }
        return m.create(flat, new Shape(x.length, x[0].length));
    }

    static NDArray array3(NDManager m, double[][][] x) {
        int b = x.length;
        int n = x[0].length;
        int d = x[0][0].length;
        float[] flat = new float[b * n * d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                for (int k = 0; k < d; k++) {
                    flat[(i * n + j) * d + k] = (float) x[i][j][k];
                    x[i][j][k] = flat[(i * n + j) * d + k];
                }
            }
        }
        return m.create(flat, new Shape(b, n, d));
    }
}
