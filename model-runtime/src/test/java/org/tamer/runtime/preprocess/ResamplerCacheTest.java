package org.tamer.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.PtbXlRaw;

/**
 * The resampling filters are bounded: a stream of records at distinct odd rates (each filter up to about 17 MB)
 * keeps only the most recently used few, and a filter built again after eviction gives the same samples.
 */
class ResamplerCacheTest {

    @Test
    void keepsOnlyTheMostRecentlyUsedRatePairs() {
        float[][] mv = PtbXlRaw.millivolts(1, false);
        Preprocessor preprocessor = new Preprocessor(PreprocessingConfig.paperDefaults(), 4);
        float[] first = preprocessor.apply(PreprocessorTest.record("ptbxl-1", 100.01, StandardLead.CANONICAL_ORDER,
                mv)).toArray();
        for (int i = 0; i < 12; i++) {
            // distinct odd rates, as a hostile or misconfigured sender would write them
            double rate = (10002 + i) / 100.0;
            preprocessor.apply(PreprocessorTest.record("ptbxl-1", rate, StandardLead.CANONICAL_ORDER, mv));
            assertTrue(preprocessor.resamplers().size() <= 4, "filters held: " + preprocessor.resamplers().size());
            // the common rate stays cached while it is used
            preprocessor.apply(PreprocessorTest.record("ptbxl-1", 100, StandardLead.CANONICAL_ORDER, mv));
        }
        assertEquals(4, preprocessor.resamplers().size());
        assertTrue(preprocessor.resamplers().contains(100, 500), "the rate in use stays");
        assertTrue(preprocessor.resamplers().contains(100.13, 500), "the latest rate stays");
        assertFalse(preprocessor.resamplers().contains(100.01, 500), "the oldest rate is evicted");
        float[] again = preprocessor.apply(PreprocessorTest.record("ptbxl-1", 100.01, StandardLead.CANONICAL_ORDER,
                mv)).toArray();
        assertArrayEquals(first, again, "a filter built again resamples identically");
    }

    @Test
    void refusesANonPositiveCapacity() {
        assertThrows(IllegalArgumentException.class, () -> new Preprocessor(PreprocessingConfig.paperDefaults(), 0));
    }
}
