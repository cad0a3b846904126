package org.tamer.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.inference.Calibration;

class PlattScalingTest {

    /**
     * Labels drawn from a known logistic model of cosine-like scores (spread 0.05 around 0.2, as zero-shot scores
     * are): the fit recovers the model's temperature and bias, and its probabilities its frequencies.
     */
    @Test
    void recoversTheLogisticModelThatDrewTheLabels() {
        double temperature = 0.02;
        double bias = -9.5;
        Random random = new Random(7);
        int n = 20_000;
        double[] scores = new double[n];
        boolean[] labels = new boolean[n];
        Calibration truth = new Calibration(temperature, bias);
        for (int i = 0; i < n; i++) {
            scores[i] = 0.2 + 0.05 * random.nextGaussian();
            labels[i] = random.nextDouble() < truth.probability(scores[i]);
        }
        Calibration fitted = PlattScaling.fit(scores, labels).orElseThrow();
        assertEquals(temperature, fitted.temperature(), 0.1 * temperature, fitted.toString());
        assertEquals(bias, fitted.bias(), 0.1 * Math.abs(bias), fitted.toString());
        for (double s : new double[] {0.1, 0.2, 0.3}) {
            assertEquals(truth.probability(s), fitted.probability(s), 0.02, "probability at score " + s);
        }
    }

    @Test
    void aScoreThatDoesNotRiseWithTheLabelGivesThePrevalence() {
        double[] scores = {0.30, 0.25, 0.20, 0.15, 0.10, 0.05};
        boolean[] labels = {false, false, false, true, true, false};
        Calibration fitted = PlattScaling.fit(scores, labels).orElseThrow();
        double prevalence = (2 + 1.0) / (6 + 2.0);
        for (double s : scores) {
            assertEquals(prevalence, fitted.probability(s), 1e-6);
        }
    }

    @Test
    void aPerfectlySeparatedSmallSetStaysFinite() {
        double[] scores = {0.11, 0.12, 0.13, 0.21, 0.22, 0.23};
        boolean[] labels = {false, false, false, true, true, true};
        Calibration fitted = PlattScaling.fit(scores, labels).orElseThrow();
        assertTrue(Double.isFinite(fitted.bias()) && fitted.temperature() > 0, fitted.toString());
        assertTrue(fitted.probability(0.23) > 0.7 && fitted.probability(0.11) < 0.3, fitted.toString());
        assertTrue(fitted.probability(0.23) <= 4.0 / 5 + 0.05, "smoothed targets cap the top probability");
    }

    @Test
    void noCalibrationWithoutBothOutcomes() {
        assertTrue(PlattScaling.fit(new double[] {0.1, 0.2}, new boolean[] {true, true}).isEmpty());
    }

    @Test
    void expectedCalibrationErrorOfAPerfectlyCalibratedBinIsZero() {
        double[] p = {0.25, 0.25, 0.25, 0.25, 0.95, 0.95};
        boolean[] y = {true, false, false, false, true, true};
        // bin [0.2, 0.3): mean 0.25, frequency 0.25; bin [0.9, 1]: mean 0.95, frequency 1 -> 2/6 * 0.05
        assertEquals(2.0 / 6 * 0.05, ProbabilityQuality.expectedCalibrationError(p, y), 1e-12);
    }
}
