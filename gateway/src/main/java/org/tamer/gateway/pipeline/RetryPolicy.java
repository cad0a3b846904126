package org.tamer.gateway.pipeline;

import java.time.Duration;

/**
 * Retries with exponential backoff: attempt n waits base × 2^n, at most {@code max}.
 *
 * @param maxAttempts  transient diagnosis failures after which a message is dead
 * @param giveUpAfter  how long after a message was received its delivery is still retried (destination down,
 *                     timeouts, 5xx); then it is dead with the last error as its reason. Within this window delivery
 *                     resumes by itself when the destination is back, at most {@code max} later.
 */
public record RetryPolicy(Duration base, Duration max, int maxAttempts, Duration giveUpAfter) {

    /** The default delivery window: a day. */
    public static final Duration DEFAULT_GIVE_UP_AFTER = Duration.ofHours(24);

    public RetryPolicy {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("retry policy needs 0 < base <= max and maxAttempts >= 1: " + base
                    + ", " + max + ", " + maxAttempts);
        }
        if (giveUpAfter.isNegative() || giveUpAfter.isZero()) {
            throw new IllegalArgumentException("tamer.store.give-up-after must be positive: " + giveUpAfter);
        }
    }

    /** A policy with the default delivery window of a day. */
    public RetryPolicy(Duration base, Duration max, int maxAttempts) {
        this(base, max, maxAttempts, DEFAULT_GIVE_UP_AFTER);
    }

    public Duration delay(int attemptsSoFar) {
        int shift = Math.min(attemptsSoFar, 30);
        long millis = base.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
