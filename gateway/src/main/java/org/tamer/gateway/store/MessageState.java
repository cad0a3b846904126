package org.tamer.gateway.store;

/** Where a stored message is on its way: received → parsed → diagnosed → delivered, or failed or dead. */
public enum MessageState {
    /** Stored, not yet checked. */
    RECEIVED,
    /** Stored and readable: waiting for diagnosis. */
    PARSED,
    /** Diagnosed: the result waits for delivery. */
    DIAGNOSED,
    /** The result reached every configured destination (or is served locally). */
    DELIVERED,
    /** Rejected at intake: the message itself is wrong; never retried on its own. */
    FAILED,
    /** Dead letter: retries exhausted, or a destination rejected the result (AR). */
    DEAD;

    /** Whether the message's way has ended here (nothing more happens to it unless replayed); kept until purged. */
    public boolean finished() {
        return this == DELIVERED || this == FAILED || this == DEAD;
    }
}
