package org.tamer.gateway.pipeline;

import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tamer.gateway.delivery.DeliveryException;
import org.tamer.gateway.delivery.Hl7ResultSender;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.routes.hl7.Hl7Error;
import org.tamer.routes.hl7.Hl7MessageException;

/**
 * Ends a message for good when processing cannot succeed however often it is tried (the record cannot be read or
 * preprocessed, the result cannot be built, processing ran out of memory or time): state FAILED with the reason,
 * which the admin API shows, and, for an HL7 v2 sender that asked for application acknowledgements (MSH-16), an
 * AE carrying the reason, sent to the configured HL7 destination. The AE is best effort: the FAILED state is kept
 * whatever happens to it.
 */
public final class PermanentFailures {

    private static final Logger LOG = LoggerFactory.getLogger(PermanentFailures.class);

    private final MessageStore store;
    private final ApplicationAcknowledgements acknowledgements;
    private final Optional<Hl7ResultSender> hl7;

    public PermanentFailures(MessageStore store, ApplicationAcknowledgements acknowledgements,
                             Optional<Hl7ResultSender> hl7) {
        this.store = Objects.requireNonNull(store, "store");
        this.acknowledgements = Objects.requireNonNull(acknowledgements, "acknowledgements");
        this.hl7 = Objects.requireNonNull(hl7, "hl7");
    }

    /**
     * Moves a message {@code owner} holds to FAILED with {@code reason}; false if the lease was lost (then the
     * message is left to its new holder).
     *
     * @param location where in an HL7 v2 message the cause lies (ERR-2), e.g. {@code OBX-5}
     */
    public boolean end(StoredMessage message, String owner, String location, String reason) {
        if (!store.fail(message.id(), owner, MessageState.FAILED, reason)) {
            return false;
        }
        LOG.warn("message {} FAILED: {}", message.id(), reason);
        acknowledge(message, location, reason);
        return true;
    }

    /** Sends the AE for a message already FAILED, when its sender asked for one. */
    public void acknowledge(StoredMessage message, String location, String reason) {
        if (hl7.isEmpty()) {
            return;
        }
        Optional<String> ack = acknowledgements.forOutcome(message, Optional.of(Hl7MessageException.error(location,
                Hl7Error.APPLICATION_INTERNAL_ERROR, "the ECG could not be diagnosed: " + reason)));
        if (ack.isPresent()) {
            try {
                hl7.get().sendAcknowledgement(ack.get());
            } catch (DeliveryException e) {
                LOG.warn("message {}: the application acknowledgement AE could not be sent: {}", message.id(),
                        e.getMessage());
            }
        }
    }
}
