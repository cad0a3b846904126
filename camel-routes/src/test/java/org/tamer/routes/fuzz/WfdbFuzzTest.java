package org.tamer.routes.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import org.tamer.routes.adapters.EcgFileReader;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * WFDB uploads as {@link EcgFileReader} receives them: a header alone (refused with how to send it, after its
 * record and signal lines are recognised) or a zip of header and signal files (header parsing, signal formats,
 * checksums, MAT-backed Challenge records). Only {@link EcgFormatException} may come out; nothing is opened.
 */
class WfdbFuzzTest {

    private static final EcgFileReader READER = new EcgFileReader(FuzzSupport.LIMITS, FuzzSupport.WFDB_LIMITS,
            FuzzSupport.MAT_LIMITS);

    @BeforeAll
    static void warmUp() {
        FuzzSupport.warmUp(WfdbFuzzTest.class, "read",
                input -> new WfdbFuzzTest().read(input));
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    void read(byte[] input) {
        try {
            FuzzSupport.checkWithinLimits(READER.read(input, "fuzz.hea"));
        } catch (EcgFormatException expected) {
            // the format's own answer
        }
    }
}
