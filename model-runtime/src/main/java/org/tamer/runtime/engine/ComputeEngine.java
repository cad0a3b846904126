package org.tamer.runtime.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deep-learning engine the model runs on: DJL's PyTorch engine, on the GPU when the engine sees one and on
 * the CPU otherwise. Nothing is downloaded: unless the JVM was started with {@code -Dai.djl.offline=false}, the
 * engine is loaded offline from the native libraries on the class path (or {@code PYTORCH_LIBRARY_PATH} /
 * {@code PYTORCH_FLAVOR} for a CUDA build).
 */
public final class ComputeEngine {

    public static final String ENGINE_NAME = "PyTorch";
    private static final Logger LOG = LoggerFactory.getLogger(ComputeEngine.class);
    static final String OFFLINE_PROPERTY = "ai.djl.offline";

    private final Engine engine;
    private final Device device;

    private ComputeEngine(Engine engine, Device device) {
        this.engine = engine;
        this.device = device;
    }

    /**
     * Loads the PyTorch engine and picks its default device.
     *
     * @throws IllegalStateException naming the likely cause when the native library cannot be loaded
     */
    public static ComputeEngine load() {
        if (System.getProperty(OFFLINE_PROPERTY) == null) {
            System.setProperty(OFFLINE_PROPERTY, "true");
        }
        Engine engine;
        try {
            engine = Engine.getEngine(ENGINE_NAME);
        } catch (EngineException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot load DJL's " + ENGINE_NAME + " engine offline ("
                    + OFFLINE_PROPERTY + "=" + System.getProperty(OFFLINE_PROPERTY) + "): put "
                    + "ai.djl.pytorch:pytorch-native-cpu (or a CUDA build via PYTORCH_LIBRARY_PATH) on the class "
                    + "path; cause: " + e.getMessage(), e);
        }
        ComputeEngine loaded = new ComputeEngine(engine, engine.defaultDevice());
        String flavor = Optional.ofNullable(System.getenv("PYTORCH_FLAVOR"))
                .orElse(System.getProperty("PYTORCH_FLAVOR", ""));
        if (flavor.startsWith("cu") && loaded.gpuCount() == 0) {
            LOG.warn("PYTORCH_FLAVOR={} asks for CUDA, but no GPU is usable (no device, or the CUDA driver is missing "
                    + "or older than the runtime); the model runs on the CPU", flavor);
        }
        return loaded;
    }

    public Engine engine() {
        return engine;
    }

    /** The device new arrays and parameters go to: the first GPU when present, else the CPU. */
    public Device device() {
        return device;
    }

    public int gpuCount() {
        return engine.getGpuCount();
    }

    /** The allocator of the engine's host memory in this process. */
    public NativeAllocator allocator() {
        return NativeAllocator.ofThisProcess();
    }

    /**
     * A warning for logs when this process's configuration slows the model down (on the CPU, a native allocator
     * left at glibc's defaults), or empty.
     */
    public Optional<String> performanceAdvice() {
        return gpuCount() > 0 ? Optional.empty() : allocator().advice();
    }

    /** One line for logs: engine, version, device and native allocator. */
    public String describe() {
        return engine.getEngineName() + " " + engine.getVersion() + " on " + device
                + (gpuCount() > 0 ? " (" + gpuCount() + " GPU)" : " (no GPU found)") + ", native memory: "
                + allocator().describe();
    }
}
