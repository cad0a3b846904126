package org.tamer.gateway.store;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How long finished messages and audit events are kept ({@code tamer.store.retention.*}, environment
 * {@code TAMER_STORE_RETENTION_*}). Ages are measured on the database's clock from the row's last change.
 *
 * @param delivered  DELIVERED messages (the result reached its destinations)
 * @param failed     FAILED and DEAD messages (kept longer, for replay and investigation)
 * @param audit      audit events, by the time they were recorded (6 years: a common retention for access logs of
 *                   health records; set what your regulation asks)
 * @param batchSize  rows deleted per statement, so that no purge holds long locks or a long transaction
 * @param interval   pause between purge rounds (a round continues while it finds rows to delete)
 */
@ConfigurationProperties("tamer.store.retention")
public record RetentionSettings(@Bindable(defaultValue = "30d") Duration delivered,
                                @Bindable(defaultValue = "90d") Duration failed,
                                @Bindable(defaultValue = "2192d") Duration audit,
                                @Bindable(defaultValue = "1000") int batchSize,
                                @Bindable(defaultValue = "1h") Duration interval) {

    public RetentionSettings {
        for (Duration d : new Duration[] {delivered, failed, audit, interval}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("tamer.store.retention.* durations must be positive: " + d);
            }
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("tamer.store.retention.batch-size must be at least 1: " + batchSize);
        }
    }
}
