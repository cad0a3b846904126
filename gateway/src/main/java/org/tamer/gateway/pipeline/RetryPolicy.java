package org.tamer.gateway.pipeline;

import java.time.Duration;

/** Exponential backoff: attempt n waits base × 2^n, at most {@code max}; after {@code maxAttempts} the message is dead. */
public record RetryPolicy(Duration base, Duration max, int maxAttempts) {

    public RetryPolicy {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0 || maxAttempts < 1) {
            throw new IllegalArgumentException("retry policy needs 0 < base <= max and maxAttempts >= 1: " + base
                    + ", " + max + ", " + maxAttempts);
        }
    }

    public Duration delay(int attemptsSoFar) {
        int shift = Math.min(attemptsSoFar, 30);
        long millis = base.toMillis() << shift;
        return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
    }
}
