package org.tamer.runtime.ecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LeadTest {

    @Test
    void parsesTheSpellingsSourcesUse() {
        assertEquals(StandardLead.AVR, Lead.parse("AVR"));
        assertEquals(StandardLead.AVR, Lead.parse("aVR"));
        assertEquals(StandardLead.AVR, Lead.parse("avr"));
        assertEquals(StandardLead.V1, Lead.parse(" MDC_ECG_LEAD_V1 "));
        assertEquals(StandardLead.III, Lead.parse("iii"));
        assertEquals(new OtherLead("vx"), Lead.parse("vx"));
        assertEquals(new OtherLead("V3R"), Lead.parse("V3R"));
    }

    @Test
    void refusesBlankLabelsAndStandardLeadsAsOthers() {
        assertEquals("lead label is blank", assertThrows(IllegalArgumentException.class,
                () -> Lead.parse("  ")).getMessage());
        assertEquals("'avl' is a standard lead; use StandardLead", assertThrows(IllegalArgumentException.class,
                () -> new OtherLead("avl")).getMessage());
    }

    @Test
    void canonicalOrderIsTheModelOrder() {
        assertEquals("[I, II, III, aVR, aVL, aVF, V1, V2, V3, V4, V5, V6]",
                StandardLead.CANONICAL_ORDER.toString());
    }
}
