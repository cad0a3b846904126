package org.tamer.routes.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.muse.MuseXmlReader;

/**
 * GE MUSE XML (Base64 lead data, CRC-32, derived limb leads):
 * only {@link EcgFormatException} may come out, and a record only within the limits.
 */
class MuseFuzzTest {

    private static final MuseXmlReader READER = new MuseXmlReader(FuzzSupport.LIMITS);

    @BeforeAll
    static void warmUp() {
        FuzzSupport.warmUp(MuseFuzzTest.class, "read",
                input -> new MuseFuzzTest().read(input));
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
