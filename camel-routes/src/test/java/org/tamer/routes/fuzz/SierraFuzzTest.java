package org.tamer.routes.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.sierra.SierraEcgReader;

/**
 * Philips SierraECG XML (XLI decompression, limb lead reconstruction):
 * only {@link EcgFormatException} may come out, and a record only within the limits.
 */
class SierraFuzzTest {

    private static final SierraEcgReader READER = new SierraEcgReader(FuzzSupport.LIMITS);

    @BeforeAll
    static void warmUp() {
        FuzzSupport.warmUp(SierraFuzzTest.class, "read",
                input -> new SierraFuzzTest().read(input));
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    void read(byte[] input) {
        try {
            FuzzSupport.checkWithinLimits(READER.read(input, "fuzz.xml"));
        } catch (EcgFormatException expected) {
            // the format's own answer
        }
    }
}
