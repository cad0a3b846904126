package org.tamer.runtime.inference;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiagnosisTest {

    @Test
    void calibratedProbabilitiesRankTheFindingsNotRawScores() {
        // MI's scores sit higher than NORM's for every ECG; its calibration says this one is still unlikely
        Calibration norm = new Calibration(0.05, -2);
        Calibration mi = new Calibration(0.02, -14);
        Diagnosis d = new Diagnosis("ecg", List.of(new ClassScore("NORM", 0.15, norm.probability(0.15)),
                new ClassScore("MI", 0.25, mi.probability(0.25))));
        assertEquals(List.of("NORM", "MI"), d.top(2).stream().map(ClassScore::code).toList());
    }

    @Test
    void withoutCalibrationTheOrderIsTheScoresOrder() {
        Diagnosis d = new Diagnosis("ecg", List.of(
                new ClassScore("A", 0.10, Calibration.IDENTITY.probability(0.10)),
                new ClassScore("B", 0.30, Calibration.IDENTITY.probability(0.30)),
                new ClassScore("C", 0.20, Calibration.IDENTITY.probability(0.20))));
        assertEquals(List.of("B", "C"), d.top(2).stream().map(ClassScore::code).toList());
    }
}
