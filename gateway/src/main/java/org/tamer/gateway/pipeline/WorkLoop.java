package org.tamer.gateway.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a unit of work over and over on its own thread: immediately again while it finds work, after
 * {@code idle} when it found none, and after a pause when it failed (the failure is logged, never swallowed
 * silently, and the loop goes on: a database outage must not stop the gateway for good). Errors too
 * ({@link OutOfMemoryError}, {@link StackOverflowError}): what one message did must not end the loop; the units of
 * work end such a message themselves, and this is the last line. {@link #isRunning()} tells readiness whether the
 * thread is still at work.
 */
public final class WorkLoop implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkLoop.class);

    private final String name;
    private final IntSupplier step;
    private final Duration idle;
    private final Thread thread;
    private volatile boolean running = true;

    /** @param step does one round of work and returns how many items it handled */
    public WorkLoop(String name, IntSupplier step, Duration idle) {
        this.name = Objects.requireNonNull(name, "name");
        this.step = Objects.requireNonNull(step, "step");
        this.idle = Objects.requireNonNull(idle, "idle");
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    public WorkLoop start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                int done = step.getAsInt();
                if (done == 0) {
                    Thread.sleep(idle.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                LOG.error("{} failed; retrying in 1 s", name, e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    public String name() {
        return name;
    }

    /** Whether the loop was started, is not stopping and its thread is alive. */
    public boolean isRunning() {
        return running && thread.isAlive();
    }

    /**
     * Asks the loop to stop after its current unit of work, without waiting: a shutdown signals every loop first,
     * so that they wind down together instead of one after another.
     */
    public void requestStop() {
        running = false;
        thread.interrupt();
    }

    @Override
    public void close() {
        requestStop();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
