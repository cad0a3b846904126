package org.tamer.routes.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.aecg.AnnotatedEcgReader;

/**
 * HL7 aECG (XML, sequences, digits): only {@link EcgFormatException} may come out, and a record only
 * within the limits.
 */
class AnnotatedEcgFuzzTest {

    private static final AnnotatedEcgReader READER = new AnnotatedEcgReader(FuzzSupport.LIMITS);

    @BeforeAll
    static void warmUp() {
        FuzzSupport.warmUp(AnnotatedEcgFuzzTest.class, "read",
                input -> new AnnotatedEcgFuzzTest().read(input));
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
