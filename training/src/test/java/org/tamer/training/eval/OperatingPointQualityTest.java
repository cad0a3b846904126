package org.tamer.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.inference.Calibration;
import org.tamer.runtime.inference.OperatingPoints;

/** Sensitivity, specificity and readings at the operating points, counted by hand on six ECGs. */
class OperatingPointQualityTest {

    @Test
    void countsFindingsAndReadingsAsTheGatewayReadsThem() {
        // identity calibration: probability = sigmoid(score); thresholds on the probabilities of scores 0.0 (0.5)
        ZeroShotScores scored = new ZeroShotScores(List.of("NORM", "MI"), new double[][] {
            {1, -1},   // labelled NORM: reads normal
            {1, 1},    // labelled NORM: reads abnormal (MI a finding beside NORM)
            {-1, -1},  // labelled NORM: indeterminate
            {-1, 1},   // labelled MI: abnormal
            {1, -1},   // labelled MI: normal (missed)
            {-1, -1},  // labelled NORM and MI: indeterminate
        }, new boolean[][] {
            {true, false}, {true, false}, {true, false}, {false, true}, {false, true}, {true, true}});
        OperatingPointQuality q = OperatingPointQuality.of(scored, code -> Calibration.IDENTITY,
                new OperatingPoints(Map.of("NORM", 0.5, "MI", 0.5), "test"), "NORM");
        OperatingPointQuality.ClassPoint norm = q.classes().get(0);
        assertEquals(4, norm.positives());
        assertEquals(2.0 / 4, norm.sensitivity(), 1e-12);   // ECGs 1 and 2 of 1, 2, 3, 6
        assertEquals(1.0 / 2, norm.specificity(), 1e-12);   // ECG 4 below, ECG 5 above
        OperatingPointQuality.ClassPoint mi = q.classes().get(1);
        assertEquals(3, mi.positives());
        assertEquals(1.0 / 3, mi.sensitivity(), 1e-12);     // ECG 4 of 4, 5, 6
        assertEquals(2.0 / 3, mi.specificity(), 1e-12);     // ECGs 1, 3 below; ECG 2 above
        assertEquals(3, q.normalOnly());
        assertEquals(3, q.otherLabelled());
        assertArrayEquals(new int[] {1, 1, 1}, q.readings()[0]);
        assertArrayEquals(new int[] {1, 1, 1}, q.readings()[1]);
    }
}
