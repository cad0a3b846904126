package org.tamer.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchmarkMachineTest {

    /** The head of this project's machine's /proc/cpuinfo (a Zen 3 EPYC), flags shortened. */
    private static final List<String> ZEN3 = List.of(
            "processor\t: 0",
            "vendor_id\t: AuthenticAMD",
            "cpu family\t: 25",
            "model\t\t: 1",
            "model name\t: AMD EPYC",
            "stepping\t: 1",
            "flags\t\t: fpu vme sse sse2 avx fma avx2 bmi2",
            "",
            "processor\t: 1",
            "cpu family\t: 99",
            "model name\t: another");

    @Test
    void describesTheFirstProcessorWithItsFamilyModelAndWidestVectorExtension() {
        BenchmarkMachine machine = BenchmarkMachine.fromCpuInfo(ZEN3);
        assertEquals(Optional.of(25), machine.family());
        assertEquals(Optional.of(1), machine.model());
        assertEquals("AMD EPYC (family 25 model 1, AVX2)", machine.describe());
    }

    @Test
    void avx512IsNamedWhenTheFoundationFlagIsPresent() {
        List<String> lines = ZEN3.stream().map(l -> l.startsWith("flags") ? l + " avx512f avx512bw" : l).toList();
        assertEquals("AVX-512", BenchmarkMachine.fromCpuInfo(lines).vectorExtension());
    }

    @Test
    void aMissingEntryIsSaidSoRatherThanGuessed() {
        assertEquals("unknown CPU (unknown vector extension)", BenchmarkMachine.fromCpuInfo(List.of()).describe());
    }

    @Test
    void thisMachinesDescriptionStartsWithItsModelName() throws IOException {
        Path cpuInfo = Path.of("/proc/cpuinfo");
        String described = BenchmarkMachine.current().describe();
        if (Files.isReadable(cpuInfo)) {
            String name = Files.readAllLines(cpuInfo).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown CPU");
            assertTrue(described.startsWith(name + " ("), described);
        } else {
            assertEquals("unknown CPU (unknown vector extension)", described);
        }
    }
}
