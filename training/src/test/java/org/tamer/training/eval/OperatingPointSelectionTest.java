package org.tamer.training.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Youden's J thresholds, checked against sensitivity and specificity counted by hand. */
class OperatingPointSelectionTest {

    @Test
    void choosesTheMidpointThatMaximisesSensitivityPlusSpecificity() {
        // positives at 0.9, 0.7, 0.35; negatives at 0.6, 0.3, 0.2, 0.1
        double[] p = {0.9, 0.6, 0.7, 0.3, 0.35, 0.2, 0.1};
        boolean[] y = {true, false, true, false, true, false, false};
        // candidates are the midpoints 0.15 0.25 0.325 0.475 0.65 0.8; J (sensitivity + specificity - 1):
        // 0.25: 3/3 + 2/4 - 1 = 0.5; 0.325: 3/3 + 3/4 - 1 = 0.75; 0.475: 2/3 + 3/4 - 1 = 0.417; 0.65: 2/3 + 1 - 1
        assertEquals(0.325, OperatingPointSelection.youden(p, y).orElseThrow(), 1e-12);
    }

    @Test
    void noThresholdWithoutBothLabels() {
        assertTrue(OperatingPointSelection.youden(new double[] {0.2, 0.4}, new boolean[] {true, true}).isEmpty());
    }
}
