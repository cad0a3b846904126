package org.tamer.gateway.store;

import java.time.Instant;
import java.util.Optional;

/** Which failed or dead messages to replay: by id, by time received, by a text in the failure reason; all combine. */
public record ReplaySelection(Optional<Long> id, Optional<Instant> receivedFrom, Optional<Instant> receivedTo,
                              Optional<String> reasonContains) {

    public ReplaySelection {
        if (id.isEmpty() && receivedFrom.isEmpty() && receivedTo.isEmpty() && reasonContains.isEmpty()) {
            throw new IllegalArgumentException("a replay needs an id, a time range or a failure reason");
        }
    }
}
