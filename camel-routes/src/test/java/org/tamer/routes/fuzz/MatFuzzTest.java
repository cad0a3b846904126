package org.tamer.routes.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.mat.MatFileReader;

/** MAT-files, level 4 and 5 (compressed or not, either byte order): only {@link EcgFormatException} may come out. */
class MatFuzzTest {

    private static final MatFileReader READER = new MatFileReader(FuzzSupport.MAT_LIMITS);

    @BeforeAll
    static void warmUp() {
        FuzzSupport.warmUp(MatFuzzTest.class, "read",
                input -> new MatFuzzTest().read(input));
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    void read(byte[] input) {
        try {
            READER.read(input, "fuzz.mat");
        } catch (EcgFormatException expected) {
            // the format's own answer
        }
    }
}
