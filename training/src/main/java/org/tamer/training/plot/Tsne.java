package org.tamer.training.plot;

import java.util.Random;

/**
 * Exact t-SNE (van der Maaten and Hinton, 2008) for a few thousand points: Gaussian affinities calibrated to a
 * perplexity by bisection, Student-t similarities in two dimensions, gradient descent with momentum, early
 * exaggeration and per-coordinate gains. O(n²) time per iteration and three n × n matrices of doubles (96 MB at
 * 2,000 points), so it takes at most {@link #MAX_POINTS}; callers sample larger sets (the {@code plot} command does,
 * seeded, and says so in the title).
 */
public final class Tsne {

    /** The most points {@link #embed} takes: 3 × 2,500² doubles = 150 MB. */
    public static final int MAX_POINTS = 2_500;

    private final double perplexity;
    private final int iterations;
    private final long seed;

    public Tsne(double perplexity, int iterations, long seed) {
        this.perplexity = perplexity;
        this.iterations = iterations;
        this.seed = seed;
    }

    /** Two-dimensional coordinates, {@code [point][2]}, for {@code [point][dimension]} data. */
    public double[][] embed(double[][] x) {
        int n = x.length;
        if (n < 4) {
            throw new IllegalArgumentException("t-SNE needs at least 4 points, got " + n);
        }
        if (n > MAX_POINTS) {
            throw new IllegalArgumentException("exact t-SNE takes at most " + MAX_POINTS + " points (memory grows with"
                    + " their square), got " + n + "; sample them first");
        }
        double[][] p = affinities(x, Math.min(perplexity, (n - 1) / 3.0));
        Random random = new Random(seed);
        double[][] y = new double[n][2];
        double[][] velocity = new double[n][2];
        double[][] gains = new double[n][2];
        for (int i = 0; i < n; i++) {
            y[i][0] = random.nextGaussian() * 1e-4;
            y[i][1] = random.nextGaussian() * 1e-4;
            gains[i][0] = 1;
            gains[i][1] = 1;
        }
        double[][] q = new double[n][n];
        for (int iteration = 0; iteration < iterations; iteration++) {
            double exaggeration = iteration < 100 ? 12 : 1;
            double momentum = iteration < 250 ? 0.5 : 0.8;
            double sum = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double dx = y[i][0] - y[j][0];
                    double dy = y[i][1] - y[j][1];
                    double v = 1 / (1 + dx * dx + dy * dy);
                    q[i][j] = v;
                    q[j][i] = v;
                    sum += 2 * v;
                }
            }
            for (int i = 0; i < n; i++) {
                double gx = 0;
                double gy = 0;
                for (int j = 0; j < n; j++) {
                    if (i == j) {
                        continue;
                    }
                    double force = (exaggeration * p[i][j] - q[i][j] / sum) * q[i][j];
                    gx += 4 * force * (y[i][0] - y[j][0]);
                    gy += 4 * force * (y[i][1] - y[j][1]);
                }
                double[] g = {gx, gy};
                for (int d = 0; d < 2; d++) {
                    gains[i][d] = Math.signum(g[d]) != Math.signum(velocity[i][d]) ? gains[i][d] + 0.2
                            : Math.max(0.01, gains[i][d] * 0.8);
                    velocity[i][d] = momentum * velocity[i][d] - 200 * gains[i][d] * g[d];
                }
            }
            for (int i = 0; i < n; i++) {
                y[i][0] += velocity[i][0];
                y[i][1] += velocity[i][1];
            }
        }
        return y;
    }

    /** Symmetric joint probabilities P with each row's conditional calibrated to the perplexity. */
    private static double[][] affinities(double[][] x, double perplexity) {
        int n = x.length;
        double[][] distances = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                double d = 0;
                for (int k = 0; k < x[i].length; k++) {
                    double diff = x[i][k] - x[j][k];
                    d += diff * diff;
                }
                distances[i][j] = d;
                distances[j][i] = d;
            }
        }
        double target = Math.log(perplexity);
        double[][] conditional = new double[n][n];
        for (int i = 0; i < n; i++) {
            double low = 0;
            double high = Double.POSITIVE_INFINITY;
            double beta = 1;
            for (int step = 0; step < 64; step++) {
                double sum = 0;
                double weighted = 0;
                for (int j = 0; j < n; j++) {
                    if (j != i) {
                        double v = Math.exp(-beta * distances[i][j]);
                        conditional[i][j] = v;
                        sum += v;
                        weighted += v * distances[i][j];
                    }
                }
                sum = Math.max(sum, 1e-300);
                double entropy = Math.log(sum) + beta * weighted / sum;
                for (int j = 0; j < n; j++) {
                    conditional[i][j] /= sum;
                }
                if (Math.abs(entropy - target) < 1e-5) {
                    break;
                }
                if (entropy > target) {
                    low = beta;
                    beta = Double.isInfinite(high) ? beta * 2 : (beta + high) / 2;
                } else {
                    high = beta;
                    beta = (beta + low) / 2;
                }
            }
        }
        double[][] p = distances; // no longer needed: reused to hold P
        for (int i = 0; i < n; i++) {
            for (int j = i; j < n; j++) {
                double v = Math.max((conditional[i][j] + conditional[j][i]) / (2.0 * n), 1e-12);
                p[i][j] = v;
                p[j][i] = v;
            }
        }
        return p;
    }
}
