package org.tamer.gateway.store;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of the retention purge: at most one batch of old DELIVERED, FAILED and DEAD messages and of old audit
 * events. Run by a work loop, which repeats it at once while it deletes something and waits the configured interval
 * when it finds nothing. Logs counts only, never message content.
 */
public final class RetentionPurge {

    private static final Logger LOG = LoggerFactory.getLogger(RetentionPurge.class);

    private final MessageStore store;
    private final RetentionSettings settings;

    public RetentionPurge(MessageStore store, RetentionSettings settings) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Deletes one batch of each kind that is due; returns how many rows went. */
    public int runOnce() {
        int deleted = store.purge(MessageState.DELIVERED, settings.delivered(), settings.batchSize());
        for (MessageState state : List.of(MessageState.FAILED, MessageState.DEAD)) {
            deleted += store.purge(state, settings.failed(), settings.batchSize());
        }
        int audit = store.purgeAudit(settings.audit(), settings.batchSize());
        if (deleted + audit > 0) {
            LOG.info("retention: deleted {} finished messages and {} audit events past their retention", deleted,
                    audit);
        }
        return deleted + audit;
    }
}
