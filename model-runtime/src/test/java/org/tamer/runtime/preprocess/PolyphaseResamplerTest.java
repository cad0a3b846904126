package org.tamer.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tamer.runtime.testdata.Fixtures;
import org.tamer.runtime.testdata.PtbXlRaw;

class PolyphaseResamplerTest {

    @Test
    void matchesScipyResamplePolyOnARealLead() {
        // scipy.signal.resample_poly(x, 5, 1, padtype='edge') of PTB-XL 00001_lr lead II (see the fixture header).
        double[] expected = flatten(Fixtures.numericTable("scipy-resample-poly-ptbxl-00001-lr-lead-II.txt"));
        float[] lead = PtbXlRaw.millivolts(1, false)[1];
        float[] actual = new PolyphaseResampler(5, 1).resample(lead);
        assertEquals(expected.length, actual.length);
        double worst = 0;
        for (int i = 0; i < actual.length; i++) {
            worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
        }
        assertTrue(worst < 1e-5, "largest difference from SciPy " + worst + " mV");
    }

    @Test
    void keepsTheLevelOfAConstantSignalWithinTheFiltersRipple() {
        // The Kaiser design has a DC ripple per polyphase branch below 0.1% (SciPy's resample_poly gives
        // 1.24958..1.25081 for this input at 5/1 and 1.24955..1.25084 at 500/257).
        float[] constant = new float[1000];
        java.util.Arrays.fill(constant, 1.25f);
        for (int[] ratio : new int[][] {{5, 1}, {1, 2}, {500, 257}}) {
            float[] out = new PolyphaseResampler(ratio[0], ratio[1]).resample(constant);
            for (float v : out) {
                assertEquals(1.25f, v, 1.25e-3f, "ratio " + ratio[0] + "/" + ratio[1]);
            }
        }
    }

    @Test
    void preservesAnInBandToneAndRemovesOneAboveTheNewNyquist() {
        int n = 4000;
        float[] inBand = tone(n, 1000, 40);
        float[] aliasing = tone(n, 1000, 400);
        PolyphaseResampler halve = new PolyphaseResampler(1, 2);
        float[] kept = halve.resample(inBand);
        float[] removed = halve.resample(aliasing);
        assertEquals(2000, kept.length);
        double keptError = 0;
        double removedPeak = 0;
        for (int i = 200; i < 1800; i++) {
            keptError = Math.max(keptError, Math.abs(kept[i] - Math.sin(2 * Math.PI * 40 * i / 500.0)));
            removedPeak = Math.max(removedPeak, Math.abs(removed[i]));
        }
        assertTrue(keptError < 1e-3, "40 Hz tone distorted by " + keptError);
        // 400 Hz would alias to 100 Hz at 500 Hz: the anti-aliasing filter must suppress it (> 40 dB).
        assertTrue(removedPeak < 0.01, "400 Hz tone leaked through with amplitude " + removedPeak);
    }

    @Test
    void reducesTheRatioAndComputesTheOutputLength() {
        PolyphaseResampler r = new PolyphaseResampler(1000, 500);
        assertEquals(2, r.up());
        assertEquals(1, r.down());
        assertEquals(7, new PolyphaseResampler(2, 3).outputLength(10)); // ceil(10 * 2 / 3)
    }

    @Test
    void besselFunctionMatchesKnownValues() {
        assertEquals(1.0, PolyphaseResampler.besselI0(0), 1e-15);
        assertEquals(27.239871823604442, PolyphaseResampler.besselI0(5), 1e-12);
    }

    private static float[] tone(int n, double rate, double hz) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * hz * i / rate);
        }
        return x;
    }

    private static double[] flatten(double[][] rows) {
        return java.util.Arrays.stream(rows).flatMapToDouble(java.util.Arrays::stream).toArray();
    }
}
