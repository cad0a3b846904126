package org.tamer.routes.preprocessing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.tamer.routes.adapters.wfdb.WfdbReader;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.preprocess.Normalisation;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.testdata.SharedData;

/**
 * PTB-XL ships each ECG at 500 Hz and, downsampled, at 100 Hz. Upsampling the 100 Hz file to 500 Hz with the
 * preprocessor must reproduce the 500 Hz file: the per-lead Pearson correlation over all 500 records × 12 leads
 * must have a median above 0.99. The distribution is printed for docs/preprocessing.md.
 */
class ResamplingAgreementTest {

    @Test
    void hundredHertzUpsampledMatchesTheFiveHundredHertzRecording() {
        WfdbReader reader = new WfdbReader();
        Preprocessor millivolts = new Preprocessor(PreprocessingConfig.paperDefaults()
                .withNormalisation(Normalisation.NONE));
        double[] correlations = new double[500 * 12];
        int n = 0;
        for (int id : SharedData.ptbXlIds()) {
            EcgRecord low = reader.read(SharedData.ptbXlHeader(id, false)).ecg();
            EcgRecord high = reader.read(SharedData.ptbXlHeader(id, true)).ecg();
            PreprocessedEcg upsampled = millivolts.apply(low);
            PreprocessedEcg reference = millivolts.apply(high);
            for (int lead = 0; lead < 12; lead++) {
                correlations[n++] = pearson(upsampled, reference, lead);
            }
        }
        Arrays.sort(correlations);
        double median = quantile(correlations, 0.5);
        System.out.printf("100 Hz -> 500 Hz vs 500 Hz, per-lead Pearson r over %d leads: min %.4f, p1 %.4f, "
                        + "p5 %.4f, p25 %.4f, median %.4f, p75 %.4f, max %.4f%n", correlations.length,
                correlations[0], quantile(correlations, 0.01), quantile(correlations, 0.05),
                quantile(correlations, 0.25), median, quantile(correlations, 0.75),
                correlations[correlations.length - 1]);
        assertTrue(median > 0.99, "median correlation " + median);
    }

    private static double pearson(PreprocessedEcg a, PreprocessedEcg b, int lead) {
        int n = a.length();
        double meanA = 0;
        double meanB = 0;
        for (int t = 0; t < n; t++) {
            meanA += a.value(lead, t);
            meanB += b.value(lead, t);
        }
        meanA /= n;
        meanB /= n;
        double cov = 0;
        double varA = 0;
        double varB = 0;
        for (int t = 0; t < n; t++) {
            double x = a.value(lead, t) - meanA;
            double y = b.value(lead, t) - meanB;
            cov += x * y;
            varA += x * x;
            varB += y * y;
        }
        return varA == 0 || varB == 0 ? (varA == varB ? 1 : 0) : cov / Math.sqrt(varA * varB);
    }

    private static double quantile(double[] sorted, double q) {
        return sorted[(int) Math.round(q * (sorted.length - 1))];
    }
}
