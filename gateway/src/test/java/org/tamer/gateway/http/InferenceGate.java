package org.tamer.gateway.http;

import org.tamer.gateway.model.BatchListener;

/**
 * Holds the real micro-batcher's inference thread after a batch while the gate is shut, so that a test can fill the
 * real bounded queue behind it; opening the gate lets the thread, and the queue, go on.
 */
final class InferenceGate implements BatchListener {

    private boolean shut;
    private int holding;

    synchronized void shut() {
        shut = true;
    }

    synchronized void open() {
        shut = false;
        notifyAll();
    }

    /** Whether the inference thread is held here now. */
    synchronized boolean holding() {
        return holding > 0;
    }

    @Override
    public synchronized void batchDone(int size, long modelNanos, int queueDepth) {
        holding++;
        try {
            while (shut) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the batcher is closing
        } finally {
            holding--;
        }
    }
}
