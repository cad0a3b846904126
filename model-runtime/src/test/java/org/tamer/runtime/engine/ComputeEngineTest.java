package org.tamer.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class ComputeEngineTest {

    @Test
    void loadsPyTorchOfflineAndComputesOnItsDevice() {
        assertEquals("true", System.getProperty("ai.djl.offline"), "the build runs tests offline");
        ComputeEngine engine = ComputeEngine.load();
        assertEquals("PyTorch", engine.engine().getEngineName());
        Device expected = engine.gpuCount() > 0 ? Device.gpu() : Device.cpu();
        assertEquals(expected, engine.device());
        try (NDManager manager = NDManager.newBaseManager(engine.device(), engine.engine().getEngineName())) {
            NDArray a = manager.create(new float[] {1, 2, 3, 4}, new ai.djl.ndarray.types.Shape(2, 2));
            assertArrayEquals(new float[] {7, 10, 15, 22}, a.matMul(a).toFloatArray());
        }
        assertTrue(engine.describe().startsWith("PyTorch 2.7.1 on "), engine.describe());
    }
}
