package org.tamer.routes.hl7;

/** How an ORU message carries the samples of a 12-lead ECG. */
public enum WaveformStyle {
    /** HL7 v2 chapter 7: a CD channel definition per lead, a TS start time, one MA multiplexed array (OBX-4 groups). */
    CHAPTER_7_MULTIPLEXED,
    /** HL7 v2 chapter 7: CD channel definitions, a TS start time, then one NA array per channel in CD order. */
    CHAPTER_7_PER_CHANNEL,
    /** IHE PCD-01: a sampling-rate NM OBX, then one NA OBX per lead with its MDC code in OBX-3 and units in OBX-6. */
    IHE_PCD_01
}
