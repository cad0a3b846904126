package org.tamer.gateway.model;

/** Observes micro-batches (for metrics). */
public interface BatchListener {

    void batchDone(int size, long modelNanos, int queueDepth);

    BatchListener NONE = (size, modelNanos, queueDepth) -> { };
}
