package org.tamer.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {

    private static final String GLIBC_ONLY = """
            7f1c2a000000-7f1c2a028000 r--p 00000000 fe:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6
            7f1c2a200000-7f1c2a201000 rw-p 00000000 00:00 0
            """;

    @Test
    void aPreloadedLibraryInTheMemoryMapWins() {
        String map = GLIBC_ONLY + "7f1c2b000000-7f1c2b080000 r-xp 00000000 fe:01 99 "
                + "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n";
        NativeAllocator allocator = NativeAllocator.detect(map, Map.of("GLIBC_TUNABLES",
                "glibc.malloc.mmap_threshold=33554432"));
        assertEquals(NativeAllocator.Kind.JEMALLOC, allocator.kind());
        assertEquals("jemalloc (/usr/lib/x86_64-linux-gnu/libjemalloc.so.2)", allocator.describe());
        assertTrue(allocator.advice().isEmpty());
    }

    @Test
    void glibcIsTunedOnlyWithAnMmapThreshold() {
        NativeAllocator tuned = NativeAllocator.detect(GLIBC_ONLY, Map.of("GLIBC_TUNABLES",
                "glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=17179869184"));
        assertEquals(NativeAllocator.Kind.GLIBC_TUNED, tuned.kind());
        assertTrue(tuned.advice().isEmpty());

        NativeAllocator plain = NativeAllocator.detect(GLIBC_ONLY, Map.of("GLIBC_TUNABLES",
                "glibc.malloc.hugetlb=1"));
        assertEquals(NativeAllocator.Kind.GLIBC_DEFAULT, plain.kind());
        assertTrue(plain.advice().orElseThrow().contains("bin/tamer-java"), plain.advice().toString());
    }

    @Test
    void thisTestJvmRunsOnTheAllocatorItsLauncherPreloaded() {
        NativeAllocator allocator = NativeAllocator.ofThisProcess();
        String preload = System.getenv().getOrDefault("LD_PRELOAD", "");
        if (preload.contains("libjemalloc")) {
            assertEquals(NativeAllocator.Kind.JEMALLOC, allocator.kind(), allocator.describe());
        } else {
            assertTrue(allocator.kind() != NativeAllocator.Kind.JEMALLOC, allocator.describe());
        }
    }
}
