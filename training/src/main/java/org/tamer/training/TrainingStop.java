package org.tamer.training;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request to stop pre-training cleanly, from a signal handler or another thread: the running step finishes, a
 * checkpoint is written, and {@link #awaitStopped} returns. One instance per run.
 */
public final class TrainingStop {

    private boolean requested;
    private boolean running;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /**
     * Asks the training loop to stop after the step it is running.
     *
     * @return true if the loop is running (then wait for {@link #awaitStopped}); false if it has not started (it
     *         will not) or has ended
     */
    public synchronized boolean request() {
        requested = true;
        return running;
    }

    public synchronized boolean requested() {
        return requested;
    }

    /** Called by the loop before its first step: false if a stop was requested already (then it does not start). */
    synchronized boolean begin() {
        running = !requested;
        return running;
    }

    /** Called by the loop once it has stopped (checkpoint written) or finished. */
    synchronized void markStopped() {
        running = false;
        stopped.countDown();
    }

    /** Waits until the loop has stopped; true if it did within the timeout. */
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }
}
