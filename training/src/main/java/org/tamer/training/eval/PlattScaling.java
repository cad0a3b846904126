package org.tamer.training.eval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tamer.runtime.inference.Calibration;

/**
 * Platt scaling of one class's zero-shot scores: the logistic regression p = sigmoid(a·s + b) of the class's label
 * on its cosine score s, fitted by Newton's method on Platt's smoothed targets ((positives + 1) / (positives + 2)
 * and 1 / (negatives + 2)), which keep the fit finite when a small set separates perfectly. The result is the
 * bundle's {@link Calibration}: temperature 1/a, bias b. A class whose score does not rise with its label (a ≤ 0)
 * gets a constant probability, its smoothed prevalence.
 */
public final class PlattScaling {

    /** The temperature that makes a calibration constant in practice: scores are cosines in [-1, 1]. */
    static final double CONSTANT_TEMPERATURE = 1e6;
    private static final int MAX_ITERATIONS = 100;

    private PlattScaling() {
    }

    /**
     * A calibration for every class of a scored set that has positive and negative examples; the others are left
     * out (the bundle then applies none to them).
     */
    public static Map<String, Calibration> fitAll(ZeroShotScores scored) {
        Map<String, Calibration> calibrations = new LinkedHashMap<>();
        for (int c = 0; c < scored.classes().size(); c++) {
            int column = c;
            fit(scored.scoresOf(c), scored.labelsOf(c)).ifPresent(fitted ->
                    calibrations.put(scored.classes().get(column), fitted));
        }
        return calibrations;
    }

    /** The fitted calibration, or empty when the labels hold no positive or no negative. */
    public static Optional<Calibration> fit(double[] scores, boolean[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        int positives = 0;
        double mean = 0;
        for (int i = 0; i < scores.length; i++) {
            positives += labels[i] ? 1 : 0;
            mean += scores[i];
        }
        int negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Optional.empty();
        }
        mean /= scores.length;
        double spread = 0;
        for (double s : scores) {
            spread += (s - mean) * (s - mean);
        }
        spread = Math.sqrt(spread / scores.length);
        double high = (positives + 1.0) / (positives + 2.0);
        double low = 1.0 / (negatives + 2.0);
        double[] target = new double[scores.length];
        double[] x = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            target[i] = labels[i] ? high : low;
            x[i] = spread > 0 ? (scores[i] - mean) / spread : 0;
        }
        double prior = (positives + 1.0) / (scores.length + 2.0);
        double a = 0;
        double b = Math.log(prior / (1 - prior));
        double loss = loss(x, target, a, b);
        for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
            double ga = 0;
            double gb = 0;
            double haa = 1e-12;
            double hab = 0;
            double hbb = 1e-12;
            for (int i = 0; i < x.length; i++) {
                double p = sigmoid(a * x[i] + b);
                double w = p * (1 - p);
                ga += (p - target[i]) * x[i];
                gb += p - target[i];
                haa += w * x[i] * x[i];
                hab += w * x[i];
                hbb += w;
            }
            double det = haa * hbb - hab * hab;
            double da = (hbb * ga - hab * gb) / det;
            double db = (haa * gb - hab * ga) / det;
            double step = 1;
            double next = loss(x, target, a - da, b - db);
            while (next > loss && step > 1e-10) {
                step /= 2;
                next = loss(x, target, a - step * da, b - step * db);
            }
            if (next > loss) {
                break;
            }
            a -= step * da;
            b -= step * db;
            boolean converged = loss - next < 1e-12;
            loss = next;
            if (converged) {
                break;
            }
        }
        if (!(a > 0) || spread == 0) {
            return Optional.of(new Calibration(CONSTANT_TEMPERATURE, Math.log(prior / (1 - prior))));
        }
        // back from standardised scores: a·(s − mean)/spread + b = s/(spread/a) + (b − a·mean/spread)
        return Optional.of(new Calibration(spread / a, b - a * mean / spread));
    }

    private static double loss(double[] x, double[] target, double a, double b) {
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double z = a * x[i] + b;
            // −[t log σ(z) + (1 − t) log(1 − σ(z))], written to stay finite for large |z|
            sum += Math.max(z, 0) - target[i] * z + Math.log1p(Math.exp(-Math.abs(z)));
        }
        return sum;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
