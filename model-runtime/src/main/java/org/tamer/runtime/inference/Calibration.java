package org.tamer.runtime.inference;

/**
 * Maps a class's zero-shot score s (a cosine similarity) to a probability: {@code sigmoid(s / temperature + bias)}.
 * {@link #IDENTITY} (temperature 1, bias 0) applies no fitted calibration; such probabilities are a monotone
 * rescaling of the score, not calibrated frequencies.
 */
public record Calibration(double temperature, double bias) {

    public static final Calibration IDENTITY = new Calibration(1, 0);

    public Calibration {
        if (!(temperature > 0) || !Double.isFinite(bias)) {
            throw new IllegalArgumentException("calibration needs a positive temperature and a finite bias");
        }
    }

    public double probability(double score) {
        return 1 / (1 + Math.exp(-(score / temperature + bias)));
    }

    public boolean isIdentity() {
        return equals(IDENTITY);
    }
}
