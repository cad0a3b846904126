package org.tamer.gateway.pipeline;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.gateway.store.MessageStore;

/**
 * Keeps the leases of messages under slow work alive: while a {@link Held} is open its message's lease is renewed
 * every third of the lease, from a thread of its own, so a step that blocks (a destination that answers only at
 * its timeout, a loaded machine) cannot let the lease end and another gateway take the message while this one
 * still works on it. A renewal that finds the lease gone is logged once; the work's own state change then fails
 * on the lease and the other holder's work stands.
 */
public final class LeaseRenewals implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewals.class);

    private final MessageStore store;
    private final String owner;
    private final Duration lease;
    private final ScheduledExecutorService timer;

    public LeaseRenewals(MessageStore store, String owner, Duration lease, String threadName) {
        this.store = Objects.requireNonNull(store, "store");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.lease = Objects.requireNonNull(lease, "lease");
        if (lease.toMillis() < 3) {
            throw new IllegalArgumentException("a lease must be at least 3 ms to be renewed every third: " + lease);
        }
        Objects.requireNonNull(threadName, "threadName");
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Renews message {@code id}'s lease every third of the lease until the returned handle is closed. */
    public Held keep(long id) {
        long period = lease.toMillis() / 3;
        Held held = new Held(id);
        held.schedule = timer.scheduleAtFixedRate(held::renew, period, period, TimeUnit.MILLISECONDS);
        return held;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /**
     * One message's renewals. Closing stops them and waits for one already running, so that the state change
     * which follows (and ends the lease) never meets a renewal.
     */
    public final class Held implements AutoCloseable {
        private final long id;
        private ScheduledFuture<?> schedule;
        private boolean stopped;
        private boolean lost;

        private Held(long id) {
            this.id = id;
        }

        private synchronized void renew() {
            if (stopped) {
                return;
            }
            try {
                if (!store.renewLease(id, owner, lease) && !lost) {
                    lost = true;
                    LOG.warn("message {}: lease lost while its work was still running; its next state change is "
                            + "left to the process holding it now", id);
                }
            } catch (RuntimeException e) {
                // the next period tries again; an exception here would cancel the schedule for good
                LOG.warn("message {}: lease renewal failed: {}", id, e.getMessage());
            }
        }

        @Override
        public synchronized void close() {
            stopped = true;
            schedule.cancel(false);
        }
    }
}
