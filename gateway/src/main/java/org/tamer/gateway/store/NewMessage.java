package org.tamer.gateway.store;

import java.util.Objects;
import java.time.Duration;
import java.util.Optional;

/**
 * A message as intake stores it: raw bytes with the state and acknowledgement decided by checking it.
 *
 * @param controlId     MSH-10 for HL7, the request's own id for FHIR and uploads
 * @param failureReason why the message was rejected, when {@code state} is FAILED
 * @param lease         a lease to take at once (synchronous processing by this process), or empty
 */
public record NewMessage(Channel channel, String controlId, String contentSha256, byte[] raw, String remoteAddress,
                         MessageState state, Optional<String> ack, Optional<String> failureReason,
                         Optional<String> recordId, Optional<Lease> lease) {

    public NewMessage {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(controlId, "controlId");
        Objects.requireNonNull(contentSha256, "contentSha256");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lease, "lease");
        if (controlId.length() > 200) {
            controlId = controlId.substring(0, 200);
        }
    }

    /** A lease held by {@code owner} for {@code duration}. */
    public record Lease(String owner, Duration duration) {
    }
}
