package org.tamer.runtime.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MissingSampleRepairTest {

    private static final float NAN = Float.NaN;

    @Test
    void fillsInnerRunsWithTheMeanOfBothNeighbours() {
        float[] x = {1f, NAN, NAN, 3f, 4f, NAN, 6f};
        assertEquals(3, MissingSampleRepair.repair(x, "I"));
        assertArrayEquals(new float[] {1f, 2f, 2f, 3f, 4f, 5f, 6f}, x);
    }

    @Test
    void fillsRunsAtTheEndsWithTheirOneNeighbour() {
        float[] x = {NAN, NAN, 2f, 3f, NAN};
        assertEquals(3, MissingSampleRepair.repair(x, "I"));
        assertArrayEquals(new float[] {2f, 2f, 2f, 3f, 3f}, x);
    }

    @Test
    void leavesCompleteLeadsAloneAndRefusesEmptyOnes() {
        float[] x = {1f, 2f};
        assertEquals(0, MissingSampleRepair.repair(x, "I"));
        assertArrayEquals(new float[] {1f, 2f}, x);
        assertEquals("lead V5 has no finite sample to repair from", assertThrows(IllegalArgumentException.class,
                () -> MissingSampleRepair.repair(new float[] {NAN, NAN}, "V5")).getMessage());
    }
}
