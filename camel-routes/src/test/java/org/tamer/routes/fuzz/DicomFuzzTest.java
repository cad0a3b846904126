package org.tamer.routes.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.dicom.DicomWaveformReader;

/**
 * DICOM ECG waveform (Part 10 parser, sequences, multiplexed samples):
 * only {@link EcgFormatException} may come out, and a record only within the limits.
 */
class DicomFuzzTest {

    private static final DicomWaveformReader READER = new DicomWaveformReader(FuzzSupport.LIMITS);

    @BeforeAll
    static void warmUp() {
        FuzzSupport.warmUp(DicomFuzzTest.class, "read",
                input -> new DicomFuzzTest().read(input));
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    void read(byte[] input) {
        try {
            FuzzSupport.checkWithinLimits(READER.read(input, "fuzz.dcm"));
        } catch (EcgFormatException expected) {
            // the format's own answer
        }
    }
}
