package org.tamer.gateway.it;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition as long as the system makes progress towards it: the wait fails only when the observed
 * progress (for example the message store's state counts) has not changed for {@code stall}. A loaded machine is
 * slower, not stuck, so a fixed deadline would fail it; a real hang still fails, after {@code stall}, and the
 * forked JVM's timeout bounds everything else.
 */
final class ProgressWait {

    private ProgressWait() {
    }

    static void until(String what, BooleanSupplier done, Supplier<?> progress, Duration stall)
            throws InterruptedException {
        Objects.requireNonNull(progress, "progress");
        Object last = progress.get();
        long lastChange = System.nanoTime();
        while (!done.getAsBoolean()) {
            Object now = progress.get();
            if (!Objects.equals(now, last)) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > stall.toNanos()) {
                throw new AssertionError(what + ": no progress for " + stall + "; last seen " + now);
            }
            Thread.sleep(250);
        }
    }
}
