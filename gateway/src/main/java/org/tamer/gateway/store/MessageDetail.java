package org.tamer.gateway.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Everything the store knows about one message's handling, without its content: the ACK sent, when it was
 * diagnosed and delivered, by which model, its lease, and its audit trail (receipt and every delivery attempt).
 */
public record MessageDetail(MessageOverview overview, Optional<String> remoteAddress, Optional<String> ack,
                            Optional<String> recordId, Optional<String> modelSha256, Optional<Instant> diagnosedAt,
                            Optional<Instant> deliveredAt, Optional<String> leaseOwner, Optional<Instant> leaseUntil,
                            List<AuditEntry> audit) {

    public MessageDetail {
        audit = List.copyOf(audit);
    }

    /**
     * One audit event: {@code received} or {@code delivered}, its outcome (FHIR AuditEvent.outcome: 0 success,
     * 4 minor failure, 8 serious failure) and the stored AuditEvent JSON.
     */
    public record AuditEntry(Instant recordedAt, String action, String outcome, String resource) {
    }
}
