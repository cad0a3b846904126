package org.tamer.runtime.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tamer.runtime.testdata.PtbXlRaw;

class EcgSignalTest {

    private final float[][] real = PtbXlRaw.millivolts(1, true);

    @Test
    void holdsARealTwelveLeadRecord() {
        EcgSignal signal = EcgSignal.of(500, StandardLead.CANONICAL_ORDER, real);
        assertEquals(12, signal.leadCount());
        assertEquals(5000, signal.length());
        assertEquals(10.0, signal.durationSeconds());
        assertEquals(-0.115f, signal.millivolts(0, 0)); // initial value of lead I in 00001_hr.hea
        assertEquals(Optional.of(3), signal.indexOf(StandardLead.AVR));
    }

    @Test
    void copiesItsInputSoLaterChangesDoNotLeakIn() {
        float[][] input = {real[0].clone(), real[1].clone()};
        EcgSignal signal = EcgSignal.of(500, List.of(StandardLead.I, StandardLead.II), input);
        input[0][0] = 42f;
        assertEquals(real[0][0], signal.millivolts(0, 0));
        float[] copy = signal.copyOfLead(0);
        copy[0] = 42f;
        assertEquals(real[0][0], signal.millivolts(0, 0));
    }

    @Test
    void rejectsUnequalLeadLengthsNamingTheLeads() {
        float[][] input = {new float[10], new float[9]};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EcgSignal.of(500, List.of(StandardLead.I, StandardLead.V2), input));
        assertEquals("lead V2 has 9 samples but lead I has 10", e.getMessage());
    }

    @Test
    void rejectsInfiniteSamplesButKeepsExplicitlyMissingOnes() {
        float[][] infinite = {{0f, Float.POSITIVE_INFINITY, 1f}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EcgSignal.of(500, List.of(StandardLead.AVL), infinite));
        assertEquals("lead aVL sample 1 is infinite; mark missing samples as NaN", e.getMessage());
        EcgSignal missing = EcgSignal.of(500, List.of(StandardLead.AVL), new float[][] {{0f, Float.NaN, 1f}});
        assertEquals(1, missing.missingSampleCount());
    }

    @Test
    void rejectsNonPositiveRatesAndDuplicateLeads() {
        float[][] one = {new float[4]};
        assertEquals("sampling rate must be positive and finite, got 0.0", assertThrows(
                IllegalArgumentException.class, () -> EcgSignal.of(0, List.of(StandardLead.I), one)).getMessage());
        assertEquals("sampling rate must be positive and finite, got NaN", assertThrows(
                IllegalArgumentException.class, () -> EcgSignal.of(Double.NaN, List.of(StandardLead.I), one))
                .getMessage());
        float[][] two = {new float[4], new float[4]};
        assertEquals("duplicate lead V1", assertThrows(IllegalArgumentException.class,
                () -> EcgSignal.of(500, List.of(StandardLead.V1, Lead.parse("v1")), two)).getMessage());
        assertEquals("3 leads named but 2 sample arrays given", assertThrows(IllegalArgumentException.class,
                () -> EcgSignal.of(500, List.of(StandardLead.I, StandardLead.II, StandardLead.III), two))
                .getMessage());
    }

    @Test
    void selectsLeadsInTheRequestedOrderAndNamesTheMissingOnes() {
        EcgSignal signal = EcgSignal.of(500, StandardLead.CANONICAL_ORDER, real);
        EcgSignal limb = signal.select(List.of(StandardLead.AVF, StandardLead.I));
        assertEquals(List.of(StandardLead.AVF, StandardLead.I), limb.leads());
        assertEquals(real[5][100], limb.millivolts(0, 100));
        EcgSignal partial = limb.select(List.of(StandardLead.I));
        MissingLeadsException e = assertThrows(MissingLeadsException.class,
                () -> partial.select(List.of(StandardLead.I, StandardLead.V4, new OtherLead("vx"))));
        assertEquals(List.of(StandardLead.V4, new OtherLead("vx")), e.missing());
        assertTrue(e.getMessage().startsWith("missing required leads [V4, vx]"), e.getMessage());
    }

    @Test
    void equalityIsBySampleValue() {
        EcgSignal a = EcgSignal.of(500, StandardLead.CANONICAL_ORDER, real);
        EcgSignal b = EcgSignal.of(500, StandardLead.CANONICAL_ORDER, PtbXlRaw.millivolts(1, true));
        EcgSignal c = EcgSignal.of(500, StandardLead.CANONICAL_ORDER, PtbXlRaw.millivolts(2, true));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, c);
    }
}
