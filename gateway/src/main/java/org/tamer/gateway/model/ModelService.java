package org.tamer.gateway.model;

import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.inference.ZeroShotClassifier;
import org.tamer.runtime.preprocess.Preprocessor;

/**
 * Owns the model: loads the bundle once on the engine's device and, when {@link #checkForNewBundle()} finds that
 * the bundle folder holds different parameters, loads the new one beside it. The {@link MicroBatcher} takes a
 * pending model only between batches ({@link #takeForNextBatch()}), so every batch, and every request in it,
 * finishes on the model it started with; the old model is closed after the swap.
 */
public final class ModelService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelService.class);

    private final Path directory;
    private final ComputeEngine engine;
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private final AtomicReference<LoadedModel> pending = new AtomicReference<>();

    public ModelService(Path directory, ComputeEngine engine) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.engine = Objects.requireNonNull(engine, "engine");
        current.set(load());
        LOG.info("model {} {} (parameters {}) loaded from {} on {}", current().bundle().manifest().name(),
                current().bundle().manifest().version(), current().sha256().substring(0, 12), directory,
                engine.describe());
        engine.performanceAdvice().ifPresent(advice -> LOG.warn("{}", advice));
    }

    /** The model in use now. */
    public LoadedModel current() {
        return current.get();
    }

    public ComputeEngine engine() {
        return engine;
    }

    /**
     * Loads the bundle again if it changed (its parameters, prompts or calibration: {@link ModelBundle#revision()})
     * since the current (or pending) model was loaded. Returns true when a new model is now pending. A bundle that
     * fails to load is logged and the current one kept.
     */
    public boolean checkForNewBundle() {
        LoadedModel newest = pending.get() != null ? pending.get() : current();
        String loaded = newest.sha256();
        String onDisk;
        try {
            onDisk = ModelBundle.open(directory).revision();
        } catch (RuntimeException e) {
            LOG.warn("model bundle {} cannot be opened; keeping model {}: {}", directory, loaded.substring(0, 12),
                    e.getMessage());
            return false;
        }
        if (onDisk.equals(newest.bundle().revision())) {
            return false;
        }
        try {
            LoadedModel next = load();
            LoadedModel replaced = pending.getAndSet(next);
            if (replaced != null) {
                replaced.close();
            }
            LOG.info("new model bundle {} (parameters {}) loaded; it takes over at the next batch",
                    next.bundle().manifest().version(), next.sha256().substring(0, 12));
            return true;
        } catch (RuntimeException e) {
            LOG.warn("new model bundle in {} failed to load; keeping model {}: {}", directory, loaded.substring(0, 12),
                    e.getMessage());
            return false;
        }
    }

    /** The model for the next batch: the pending one if a new bundle was loaded (the old one is then closed). */
    public LoadedModel takeForNextBatch() {
        LoadedModel next = pending.getAndSet(null);
        if (next == null) {
            return current();
        }
        LoadedModel old = current.getAndSet(next);
        old.close();
        LOG.info("model {} (parameters {}) now serves; model {} closed", next.bundle().manifest().version(),
                next.sha256().substring(0, 12), old.sha256().substring(0, 12));
        return next;
    }

    private LoadedModel load() {
        ModelBundle bundle = ModelBundle.open(directory);
        return new LoadedModel(bundle, ZeroShotClassifier.load(bundle, engine),
                new Preprocessor(bundle.manifest().preprocessing()));
    }

    @Override
    public void close() {
        LoadedModel p = pending.getAndSet(null);
        if (p != null) {
            p.close();
        }
        current().close();
    }
}
