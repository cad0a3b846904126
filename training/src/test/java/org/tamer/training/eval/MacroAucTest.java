package org.tamer.training.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MacroAucTest {

    @Test
    void aucEqualsTheFractionOfCorrectlyOrderedPairs() {
        Random random = new Random(3);
        for (int trial = 0; trial < 20; trial++) {
            int n = 30 + random.nextInt(50);
            double[] scores = new double[n];
            boolean[] positive = new boolean[n];
            for (int i = 0; i < n; i++) {
                scores[i] = Math.round(random.nextGaussian() * 4) / 4.0; // ties on purpose
                positive[i] = random.nextDouble() < 0.3;
            }
            double pairs = 0;
            double wins = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (positive[i] && !positive[j]) {
                        pairs++;
                        wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                    }
                }
            }
            assertEquals(wins / pairs, RocAuc.of(scores, positive), 1e-12);
        }
        assertEquals(1.0, RocAuc.of(new double[] {0.1, 0.9}, new boolean[] {false, true}));
        assertTrue(Double.isNaN(RocAuc.of(new double[] {0.1, 0.9}, new boolean[] {false, false})));
    }

    @Test
    void macroAucAveragesDefinedClassesAndItsIntervalBracketsIt() {
        Random random = new Random(5);
        int n = 200;
        double[][] scores = new double[n][3];
        boolean[][] labels = new boolean[n][3];
        for (int i = 0; i < n; i++) {
            labels[i][0] = random.nextBoolean();
            labels[i][1] = random.nextDouble() < 0.2;
            scores[i][0] = (labels[i][0] ? 1 : 0) + random.nextGaussian();
            scores[i][1] = random.nextGaussian();
            scores[i][2] = random.nextGaussian(); // class 2 has no positives
        }
        EvaluationReport report = MacroAuc.evaluate(scores, labels, List.of("A", "B", "C"), 300, 1);
        double a = report.classes().get(0).auc();
        double b = report.classes().get(1).auc();
        assertTrue(Double.isNaN(report.classes().get(2).auc()));
        assertEquals(0, report.classes().get(2).positives());
        assertEquals((a + b) / 2, report.macroAuc(), 1e-12);
        assertTrue(report.lower95() <= report.macroAuc() && report.macroAuc() <= report.upper95(), report.toString());
        assertTrue(report.toMarkdown("t").contains("| C | n/a | 0 | no |"));
    }

    @Test
    void theBootstrapAveragesOverTheSameFixedClassSetInEveryResample() {
        Random random = new Random(11);
        int n = 100;
        double[][] scores = new double[n][2];
        boolean[][] labels = new boolean[n][2];
        for (int i = 0; i < n; i++) {
            labels[i][0] = i % 2 == 0;
            labels[i][1] = i == 3 || i == 40; // two positives: often absent from a resample
            scores[i][0] = (labels[i][0] ? 1 : 0) + random.nextGaussian();
            scores[i][1] = (labels[i][1] ? 2 : 0) + random.nextGaussian();
        }
        EvaluationReport both = MacroAuc.evaluate(scores, labels, List.of("A", "RARE"), 400, 3, 1);
        assertEquals(List.of("A", "RARE"), both.includedClasses());
        assertTrue(both.redrawn() > 0, "about 13% of resamples lack RARE's positives and are drawn again");
        assertEquals((both.classes().get(0).auc() + both.classes().get(1).auc()) / 2, both.macroAuc(), 1e-12);

        EvaluationReport frequent = MacroAuc.evaluate(scores, labels, List.of("A", "RARE"), 400, 3, 3);
        assertEquals(List.of("A"), frequent.includedClasses());
        assertEquals(frequent.classes().get(0).auc(), frequent.macroAuc(), 1e-12);
        assertEquals(0, frequent.redrawn());
        assertTrue(frequent.toJson().contains("\"classSet\": [\n    \"A\"\n  ]"), frequent.toJson());
        assertTrue(frequent.toMarkdown("t").contains("| RARE | "), frequent.toMarkdown("t"));
    }

    @Test
    void appliesTheMerlProtocolOptions() {
        float[] w = new float[12 * 4];
        for (int i = 0; i < w.length; i++) {
            w[i] = i;
        }
        float[] swapped = ZeroShotEvaluator.prepare(w, 12, 4,
                new EvaluationOptions(true, Optional.of(2), Optional.empty(), 0, 0));
        assertArrayEquals(new float[] {20, 21, 0, 0}, java.util.Arrays.copyOfRange(swapped, 16, 20));
        assertArrayEquals(new float[] {16, 17, 0, 0}, java.util.Arrays.copyOfRange(swapped, 20, 24));
        assertArrayEquals(new float[] {0, 1, 0, 0}, java.util.Arrays.copyOfRange(swapped, 0, 4));
    }
}
