package org.tamer.gateway.store;

import java.time.Instant;
import java.util.Optional;

/** One row of the message store. */
public record StoredMessage(
        long id,
        Channel channel,
        String controlId,
        String contentSha256,
        byte[] raw,
        Instant receivedAt,
        Optional<String> ack,
        MessageState state,
        Optional<String> failureReason,
        int attempts,
        Optional<String> recordId,
        Optional<String> diagnosis,
        Optional<String> hl7Result) {
}
