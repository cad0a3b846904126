package org.tamer.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.ecg.MissingLeadsException;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.PtbXlRaw;

/**
 * {@link Preprocessor#check} refuses exactly what {@link Preprocessor#apply} would refuse (the leads, a finite sample
 * per lead, the resampling ratio), without preprocessing and without building a resampling filter.
 */
class PreprocessorCheckTest {

    private final Preprocessor paper = new Preprocessor(PreprocessingConfig.paperDefaults());

    @Test
    void aRealRecordPassesAtItsOwnAndAtCommonRates() {
        float[][] mv = PtbXlRaw.millivolts(2, true);
        for (double rate : new double[] {100, 250, 257, 360, 500, 1000}) {
            assertDoesNotThrow(() -> paper.check(PreprocessorTest.record("ptbxl-2", rate,
                    StandardLead.CANONICAL_ORDER, mv)));
        }
        assertEquals(0, paper.resamplers().size(), "no filter built by a check");
    }

    @Test
    void ratesWhoseRatioIsTooFineAreRefusedByApplyAndCheckAlike() {
        float[][] mv = PtbXlRaw.millivolts(2, true);
        for (double rate : new double[] {1e-300, 1e300, 1e12, 1e-6, 500.000001}) {
            var record = PreprocessorTest.record("ptbxl-2", rate, StandardLead.CANONICAL_ORDER, mv);
            IllegalArgumentException checked = assertThrows(IllegalArgumentException.class, () -> paper.check(record));
            assertTrue(checked.getMessage().contains("cannot resample"), checked.getMessage());
            assertTrue(checked.getMessage().length() < 300, "no 300-digit numbers: " + checked.getMessage());
            IllegalArgumentException applied = assertThrows(IllegalArgumentException.class, () -> paper.apply(record));
            assertEquals(checked.getMessage(), applied.getMessage());
        }
    }

    @Test
    void aLeadWithoutAFiniteSampleIsRefusedNamingIt() {
        float[][] mv = PtbXlRaw.millivolts(2, true);
        Arrays.fill(mv[7], Float.NaN);
        var record = PreprocessorTest.record("ptbxl-2", 500, StandardLead.CANONICAL_ORDER, mv);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> paper.check(record));
        assertTrue(e.getMessage().contains("lead " + StandardLead.CANONICAL_ORDER.get(7).label()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> paper.apply(record));
    }

    @Test
    void aMissingLeadIsRefused() {
        float[][] mv = Arrays.copyOf(PtbXlRaw.millivolts(2, true), 11);
        var record = PreprocessorTest.record("ptbxl-2", 500, List.copyOf(StandardLead.CANONICAL_ORDER.subList(0, 11)),
                mv);
        assertThrows(MissingLeadsException.class, () -> paper.check(record));
    }
}
