package org.tamer.gateway.store;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the gateway works through its store ({@code tamer.store.*}, environment {@code TAMER_STORE_*}); retention
 * has its own {@link RetentionSettings}.
 *
 * @param claimSize         messages claimed at once by a diagnosis or delivery loop
 * @param lease             how long a claimed message stays its claimer's before another process may take it; renewed
 *                          while work on it runs
 * @param pollInterval      pause of a loop that found nothing to do
 * @param diagnosisWorkers  diagnosis loops in this process (0: this process only takes messages in and delivers)
 * @param diagnosisTimeout  how long a diagnosis loop waits for the model's result of a claimed batch
 * @param poisonLimit       Errors or timeouts a message may be part of before it is FAILED as poison
 * @param retryBase         first backoff after a transient failure, doubled for each further one
 * @param retryMax          backoff cap: a destination that is back is used again within this time
 * @param maxAttempts       transient diagnosis failures before a message is DEAD
 * @param giveUpAfter       delivery is retried this long after a message was received, then it is DEAD
 */
@ConfigurationProperties("tamer.store")
public record StoreSettings(@Bindable(defaultValue = "16") int claimSize,
                            @Bindable(defaultValue = "120s") Duration lease,
                            @Bindable(defaultValue = "200ms") Duration pollInterval,
                            @Bindable(defaultValue = "2") int diagnosisWorkers,
                            @Bindable(defaultValue = "5m") Duration diagnosisTimeout,
                            @Bindable(defaultValue = "2") int poisonLimit,
                            @Bindable(defaultValue = "2s") Duration retryBase,
                            @Bindable(defaultValue = "10m") Duration retryMax,
                            @Bindable(defaultValue = "10") int maxAttempts,
                            @Bindable(defaultValue = "24h") Duration giveUpAfter) {

    public StoreSettings {
        positive("lease", lease);
        positive("poll-interval", pollInterval);
        positive("diagnosis-timeout", diagnosisTimeout);
        positive("retry-base", retryBase);
        positive("retry-max", retryMax);
        positive("give-up-after", giveUpAfter);
        atLeast("claim-size", claimSize, 1);
        atLeast("diagnosis-workers", diagnosisWorkers, 0);
        atLeast("poison-limit", poisonLimit, 1);
        atLeast("max-attempts", maxAttempts, 1);
    }

    private static void positive(String key, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("tamer.store." + key + " must be a positive duration: " + value);
        }
    }

    private static void atLeast(String key, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException("tamer.store." + key + " must be at least " + minimum + ": " + value);
        }
    }
}
