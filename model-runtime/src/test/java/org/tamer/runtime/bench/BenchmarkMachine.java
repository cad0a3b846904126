package org.tamer.runtime.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The processor a benchmark ran on, as its table records it. The marketing name alone ("AMD EPYC") hides what
 * decides convolution speed: two machines with that name ran the same training step at 11 s and 27 s, one with
 * AVX-512 and one without. So the description adds the x86 family and model and the widest vector extension.
 *
 * @param name   the CPU's model name, or "unknown CPU"
 * @param family the x86 CPU family, when known
 * @param model  the x86 model number, when known
 * @param flags  the CPU's feature flags
 */
public record BenchmarkMachine(String name, Optional<Integer> family, Optional<Integer> model, Set<String> flags) {

    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");

    public BenchmarkMachine {
        flags = Set.copyOf(flags);
    }

    /** This machine, from {@code /proc/cpuinfo}; a machine without that file is described as "unknown CPU". */
    public static BenchmarkMachine current() {
        if (!Files.isReadable(CPU_INFO)) {
            return new BenchmarkMachine("unknown CPU", Optional.empty(), Optional.empty(), Set.of());
        }
        try {
            return fromCpuInfo(Files.readAllLines(CPU_INFO));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + CPU_INFO, e);
        }
    }

    /** The first processor's entry of a {@code /proc/cpuinfo} text. */
    public static BenchmarkMachine fromCpuInfo(List<String> lines) {
        String name = field(lines, "model name").orElse("unknown CPU");
        Set<String> flags = field(lines, "flags")
                .map(value -> Arrays.stream(value.split("\\s+")).filter(f -> !f.isEmpty()).collect(Collectors.toSet()))
                .orElse(Set.of());
        return new BenchmarkMachine(name, field(lines, "cpu family").map(Integer::valueOf),
                field(lines, "model").map(Integer::valueOf), flags);
    }

    /** The widest SIMD extension: AVX-512, AVX2, AVX or SSE; "unknown" without flags. */
    public String vectorExtension() {
        if (flags.contains("avx512f")) {
            return "AVX-512";
        }
        if (flags.contains("avx2")) {
            return "AVX2";
        }
        if (flags.contains("avx")) {
            return "AVX";
        }
        return flags.isEmpty() ? "unknown vector extension" : "SSE";
    }

    /** For instance "AMD EPYC (family 25 model 1, AVX2)". */
    public String describe() {
        String identity = family.isPresent() && model.isPresent()
                ? "family " + family.get() + " model " + model.get() + ", " : "";
        return name + " (" + identity + vectorExtension() + ")";
    }

    private static Optional<String> field(List<String> lines, String key) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                return Optional.of(line.substring(colon + 1).strip());
            }
        }
        return Optional.empty();
    }
}
