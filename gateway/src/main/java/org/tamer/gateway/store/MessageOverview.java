package org.tamer.gateway.store;

import java.time.Instant;
import java.util.Optional;

/**
 * A message as the operator console lists it: where it came from and where it is, never its content.
 *
 * @param nextAttemptAt when a DIAGNOSED or PARSED message is next tried (after a failed attempt)
 */
public record MessageOverview(long id, Channel channel, String controlId, MessageState state, Instant receivedAt,
                              Instant updatedAt, int attempts, Optional<String> failureReason,
                              Optional<Instant> nextAttemptAt) {
}
