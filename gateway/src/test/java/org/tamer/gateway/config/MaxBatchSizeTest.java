package org.tamer.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.engine.NativeAllocator;

class MaxBatchSizeTest {

    @Test
    void autoBatchesOnAGpuOrACachingAllocatorAndServesSingleEcgsOnGlibc() {
        assertEquals(32, GatewayFactory.maxBatchSize("auto", 1, NativeAllocator.Kind.GLIBC_DEFAULT));
        assertEquals(32, GatewayFactory.maxBatchSize("auto", 0, NativeAllocator.Kind.JEMALLOC));
        assertEquals(32, GatewayFactory.maxBatchSize("", 0, NativeAllocator.Kind.TCMALLOC));
        assertEquals(1, GatewayFactory.maxBatchSize("auto", 0, NativeAllocator.Kind.GLIBC_DEFAULT));
        assertEquals(1, GatewayFactory.maxBatchSize("AUTO", 0, NativeAllocator.Kind.GLIBC_TUNED));
        assertEquals(8, GatewayFactory.maxBatchSize(" 8 ", 0, NativeAllocator.Kind.GLIBC_DEFAULT));
    }

    @Test
    void badSettingsAreNamed() {
        for (String bad : new String[] {"0", "-3", "many"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> GatewayFactory.maxBatchSize(bad, 0, NativeAllocator.Kind.JEMALLOC));
            assertTrue(e.getMessage().contains("TAMER_MODEL_MAX_BATCH") && e.getMessage().contains(bad),
                    e.getMessage());
        }
    }

    /** This JVM: the surefire fork runs on jemalloc where the machine has it (the native-jemalloc profile). */
    @Test
    void thisProcessGetsTheBatchItsAllocatorWarrants() {
        ComputeEngine engine = ComputeEngine.load();
        NativeAllocator.Kind kind = engine.allocator().kind();
        int expected = engine.gpuCount() > 0 || kind == NativeAllocator.Kind.JEMALLOC
                || kind == NativeAllocator.Kind.TCMALLOC ? 32 : 1;
        assertEquals(expected, GatewayFactory.maxBatchSize("auto", engine));
    }
}
