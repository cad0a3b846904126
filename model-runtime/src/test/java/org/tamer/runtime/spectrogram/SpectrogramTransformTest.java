package org.tamer.runtime.spectrogram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.preprocess.Normalisation;
import org.tamer.runtime.preprocess.PreprocessedEcg;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.testdata.Fixtures;
import org.tamer.runtime.testdata.PtbXlRaw;

class SpectrogramTransformTest {

    private final SpectrogramTransform transform = new SpectrogramTransform(StftConfig.paperDefaults());

    @Test
    void hasThePapersShapeForTwelveByFiveThousand() {
        Spectrogram s = transform.apply(preprocessed(1, Normalisation.GLOBAL_MIN_MAX));
        assertArrayEquals(new long[] {12, 63, 81}, s.shape());
        assertEquals(248.0, StftConfig.paperDefaults().frequencyHz(62));
    }

    @Test
    void equalsAStraightforwardDftOnRealLeads() {
        for (int ecgId : new int[] {1, 17, 250, 500}) {
            PreprocessedEcg ecg = preprocessed(ecgId, Normalisation.GLOBAL_MIN_MAX);
            Spectrogram fast = transform.apply(ecg);
            for (int lead : new int[] {0, 4, 11}) {
                float[] x = new float[ecg.length()];
                ecg.copyLeadInto(lead, x, 0);
                double[][] slow = naiveStft(x, 125, 62);
                double maxRelative = 0;
                double peak = 0;
                for (double[] row : slow) {
                    for (double v : row) {
                        peak = Math.max(peak, v);
                    }
                }
                for (int k = 0; k < 63; k++) {
                    for (int f = 0; f < 81; f++) {
                        double error = Math.abs(fast.magnitude(lead, k, f) - slow[k][f]);
                        maxRelative = Math.max(maxRelative, error / Math.max(Math.abs(slow[k][f]), 1e-3 * peak));
                    }
                }
                assertTrue(maxRelative < 1e-5, "record " + ecgId + " lead " + lead + ": relative error "
                        + maxRelative);
            }
        }
    }

    @Test
    void equalsScipyStftOnARealLead() {
        // abs(scipy.signal.stft(x, fs=500, window='hann', nperseg=125, noverlap=62)) of 00001_hr lead II in mV.
        double[][] scipy = Fixtures.numericTable("scipy-stft-ptbxl-00001-lead-II.txt");
        PreprocessedEcg ecg = preprocessed(1, Normalisation.NONE);
        Spectrogram s = transform.apply(ecg);
        double peak = 0;
        for (double[] row : scipy) {
            for (double v : row) {
                peak = Math.max(peak, v);
            }
        }
        for (int k = 0; k < 63; k++) {
            for (int f = 0; f < 81; f++) {
                double error = Math.abs(s.magnitude(1, k, f) - scipy[k][f]);
                assertTrue(error <= 1e-5 * Math.max(Math.abs(scipy[k][f]), 1e-3 * peak),
                        "bin " + k + " frame " + f + ": " + s.magnitude(1, k, f) + " vs SciPy " + scipy[k][f]);
            }
        }
    }

    @Test
    void reusesItsBuffersWithoutCarryingStateBetweenRecords() {
        PreprocessedEcg a = preprocessed(2, Normalisation.GLOBAL_MIN_MAX);
        PreprocessedEcg b = preprocessed(3, Normalisation.GLOBAL_MIN_MAX);
        float[] first = transform.apply(a).toArray();
        transform.apply(b);
        assertArrayEquals(first, transform.apply(a).toArray());
    }

    @Test
    void countsFramesAsScipyDoes() {
        // Frame counts scipy.signal.stft gives for these lengths (nperseg=125, noverlap=62).
        StftConfig config = StftConfig.paperDefaults();
        assertEquals(81, config.frames(5000));
        assertEquals(41, config.frames(2500));
        assertEquals(3, config.frames(125));
        assertEquals(3, config.frames(126));
        assertEquals(4, config.frames(188));
        assertThrows(IllegalArgumentException.class, () -> new StftConfig(500, 125, 125));
    }

    /** |STFT| computed the slow way: explicit frames, explicit periodic Hann window, O(n²) DFT. */
    private static double[][] naiveStft(float[] x, int n, int overlap) {
        int hop = n - overlap;
        int half = n / 2;
        int extended = x.length + 2 * half;
        int pad = Math.floorMod(-(extended - n), hop);
        double[] padded = new double[extended + pad];
        for (int i = 0; i < x.length; i++) {
            padded[half + i] = x[i];
        }
        int frames = (padded.length - n) / hop + 1;
        double[] window = new double[n];
        double windowSum = 0;
        for (int i = 0; i < n; i++) {
            window[i] = 0.5 * (1 - Math.cos(2 * Math.PI * i / n));
            windowSum += window[i];
        }
        double[][] out = new double[n / 2 + 1][frames];
        for (int f = 0; f < frames; f++) {
            for (int k = 0; k <= n / 2; k++) {
                double re = 0;
                double im = 0;
                for (int i = 0; i < n; i++) {
                    double v = padded[f * hop + i] * window[i];
                    re += v * Math.cos(2 * Math.PI * k * i / n);
                    im -= v * Math.sin(2 * Math.PI * k * i / n);
                }
                out[k][f] = Math.sqrt(re * re + im * im) / windowSum;
            }
        }
        return out;
    }

    private static PreprocessedEcg preprocessed(int ecgId, Normalisation normalisation) {
        EcgRecord record = EcgRecord.of("ptbxl-" + ecgId, EcgSignal.of(500, StandardLead.CANONICAL_ORDER,
                PtbXlRaw.millivolts(ecgId, true)), SourceMetadata.of("test", null));
        return new Preprocessor(PreprocessingConfig.paperDefaults().withNormalisation(normalisation)).apply(record);
    }
}
