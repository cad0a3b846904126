package org.tamer.gateway.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.tamer.gateway.store.StoredMessage;

/**
 * Results built but not yet recorded in the store (its commit failed), shared by the diagnosis workers of a
 * process: when the message is claimed again, its result is recorded without running inference a second time. A
 * result is known by the message id and its content hash; at most {@code capacity} are kept, the oldest dropped.
 */
public final class BuiltResults {

    private record Built(String contentSha256, DiagnosisResult result) {
    }

    private final Map<Long, Built> results;

    public BuiltResults(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, got " + capacity);
        }
        this.results = new LinkedHashMap<>(16, 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Built> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized Optional<DiagnosisResult> of(StoredMessage message) {
        Built built = results.get(message.id());
        return built != null && built.contentSha256().equals(message.contentSha256()) ? Optional.of(built.result())
                : Optional.empty();
    }

    public synchronized void keep(StoredMessage message, DiagnosisResult result) {
        results.put(message.id(), new Built(message.contentSha256(), result));
    }

    public synchronized void forget(StoredMessage message) {
        results.remove(message.id());
    }
}
