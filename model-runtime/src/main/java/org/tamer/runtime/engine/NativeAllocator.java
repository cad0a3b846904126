package org.tamer.runtime.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The allocator behind the engine's native memory, as this process runs it. PyTorch keeps no cache of freed memory
 * on the CPU, so with glibc's default settings every large activation comes back from the kernel page by page,
 * which on this project's machines cost half the speed of a training step. {@code bin/tamer-java} and the container
 * entry point choose a better one; this class tells which one is in use, so that a slow configuration is named.
 *
 * @param kind   what was found
 * @param detail the library or the glibc settings
 */
public record NativeAllocator(Kind kind, String detail) {

    /** Allocators told apart. */
    public enum Kind {
        JEMALLOC, TCMALLOC, GLIBC_TUNED, GLIBC_DEFAULT, UNKNOWN
    }

    private static final Path MAPS = Path.of("/proc/self/maps");

    /** The allocator of this process: a preloaded library in its memory map, else glibc and its tunables. */
    public static NativeAllocator ofThisProcess() {
        if (!Files.isReadable(MAPS)) {
            return new NativeAllocator(Kind.UNKNOWN, "no " + MAPS);
        }
        try {
            return detect(Files.readString(MAPS, StandardCharsets.ISO_8859_1), System.getenv());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + MAPS, e);
        }
    }

    /** The allocator named by a process's memory map and environment. */
    static NativeAllocator detect(String memoryMap, Map<String, String> environment) {
        for (String line : memoryMap.split("\n")) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            String path = line.substring(slash);
            String file = path.substring(path.lastIndexOf('/') + 1);
            if (file.startsWith("libjemalloc")) {
                return new NativeAllocator(Kind.JEMALLOC, path);
            }
            if (file.startsWith("libtcmalloc")) {
                return new NativeAllocator(Kind.TCMALLOC, path);
            }
        }
        String tunables = environment.getOrDefault("GLIBC_TUNABLES", "");
        if (tunables.contains("glibc.malloc.mmap_threshold") || environment.containsKey("MALLOC_MMAP_THRESHOLD_")) {
            return new NativeAllocator(Kind.GLIBC_TUNED, tunables.isEmpty()
                    ? "MALLOC_MMAP_THRESHOLD_=" + environment.get("MALLOC_MMAP_THRESHOLD_") : tunables);
        }
        return new NativeAllocator(Kind.GLIBC_DEFAULT, "glibc malloc, default settings");
    }

    /** A warning for logs when this allocator slows the engine's CPU work, or empty. */
    public Optional<String> advice() {
        if (kind != Kind.GLIBC_DEFAULT) {
            return Optional.empty();
        }
        return Optional.of("native memory comes from glibc malloc with its default settings, which makes PyTorch's "
                + "CPU work up to twice as slow; start the JVM through bin/tamer-java, or with "
                + "LD_PRELOAD=<path to libjemalloc.so.2> (docs/benchmarks.md)");
    }

    /** A few words for logs. */
    public String describe() {
        return switch (kind) {
            case JEMALLOC -> "jemalloc (" + detail + ")";
            case TCMALLOC -> "tcmalloc (" + detail + ")";
            case GLIBC_TUNED -> "glibc malloc (" + detail + ")";
            case GLIBC_DEFAULT -> "glibc malloc, default settings";
            case UNKNOWN -> "unknown allocator (" + detail + ")";
        };
    }
}
