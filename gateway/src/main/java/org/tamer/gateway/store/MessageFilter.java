package org.tamer.gateway.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which messages an operator lists: by states, channels, received time ({@code since} inclusive, {@code until}
 * exclusive), a text in the failure reason (case-insensitive), newest first, {@code limit} at a time, continuing
 * below {@code beforeId}.
 */
public record MessageFilter(Set<MessageState> states, Set<Channel> channels, Optional<Instant> since,
                            Optional<Instant> until, Optional<String> reasonContains, Optional<Long> beforeId,
                            int limit) {

    /** The most rows one request may ask for. */
    public static final int MAX_LIMIT = 500;
    /** The longest failure-reason text accepted as a filter. */
    public static final int MAX_REASON_LENGTH = 200;

    public MessageFilter {
        states = Set.copyOf(states);
        channels = Set.copyOf(channels);
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(until, "until");
        Objects.requireNonNull(reasonContains, "reasonContains");
        Objects.requireNonNull(beforeId, "beforeId");
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        if (reasonContains.isPresent() && reasonContains.get().length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("reason must be at most " + MAX_REASON_LENGTH + " characters, got "
                    + reasonContains.get().length());
        }
    }
}
