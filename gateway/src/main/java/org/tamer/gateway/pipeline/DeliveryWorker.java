package org.tamer.gateway.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.delivery.DeliveryException;
import org.tamer.gateway.delivery.FhirServerClient;
import org.tamer.gateway.delivery.Hl7ResultSender;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.routes.hl7.Hl7Error;
import org.tamer.routes.hl7.Hl7MessageException;

/**
 * The outbox: claims diagnosed messages and delivers their results to the configured FHIR server (the
 * transaction Bundle) and, for HL7 v2 sources, to the configured MLLP destination (the ORU^R01). Temporary
 * failures are retried with exponential backoff; a permanent one (a 4xx, an AR) moves the message to the dead
 * letter at once. With no FHIR server configured the results are served by the gateway itself, so a message is
 * delivered as soon as it is diagnosed. Conditional creates make a repeated delivery harmless. HL7 v2 senders in
 * enhanced mode get their application acknowledgement (MSH-16) at the same destination. Each message's lease is
 * renewed just before its delivery, so a slow batch cannot let a lease end under a delivery still to start, and
 * then every third of the lease while its destinations are being called, so a slow destination cannot either.
 */
public final class DeliveryWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeliveryWorker.class);

    private final MessageStore store;
    private final Optional<FhirServerClient> fhir;
    private final Optional<Hl7ResultSender> hl7;
    private final ApplicationAcknowledgements applicationAcks;
    private final AuditEvents audit;
    private final GatewayMetrics metrics;
    private final String owner;
    private final int claimSize;
    private final Duration lease;
    private final RetryPolicy retry;
    private final Clock clock;
    private final LeaseRenewals renewals;

    public DeliveryWorker(MessageStore store, Optional<FhirServerClient> fhir, Optional<Hl7ResultSender> hl7,
                          ApplicationAcknowledgements applicationAcks, AuditEvents audit, GatewayMetrics metrics,
                          String owner, int claimSize, Duration lease, RetryPolicy retry, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.fhir = Objects.requireNonNull(fhir, "fhir");
        this.hl7 = Objects.requireNonNull(hl7, "hl7");
        this.applicationAcks = Objects.requireNonNull(applicationAcks, "applicationAcks");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.claimSize = claimSize;
        this.lease = Objects.requireNonNull(lease, "lease");
        this.retry = Objects.requireNonNull(retry, "retry");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.renewals = new LeaseRenewals(store, owner, lease, "tamer-delivery-lease");
    }

    /** Stops the lease renewals; call after the loop running this worker has stopped. */
    @Override
    public void close() {
        renewals.close();
    }

    /**
     * A transient failure: another attempt after the backoff while the message is within the delivery window
     * ({@link RetryPolicy#giveUpAfter()} from its receipt), else the dead letter with the last error.
     */
    private void retryOrGiveUp(StoredMessage m, String destination, DeliveryException e) {
        Duration delay = retry.delay(m.attempts());
        if (clock.instant().plus(delay).isAfter(m.receivedAt().plus(retry.giveUpAfter()))) {
            String reason = "delivery to " + destination + " given up " + retry.giveUpAfter().toString().substring(2)
                    .toLowerCase(java.util.Locale.ROOT) + " after receipt (tamer.store.give-up-after), "
                    + (m.attempts() + 1) + " attempts; last error: " + e.getMessage();
            store.fail(m.id(), owner, MessageState.DEAD, reason);
            LOG.warn("message {} moved to the dead letter: {}", m.id(), reason);
            sendFailureAcknowledgement(m, new DeliveryException(reason, true, e));
            return;
        }
        store.retry(m.id(), owner, e.getMessage(), delay, Integer.MAX_VALUE);
        LOG.info("message {} delivery to {} failed (attempt {}), next in {}: {}", m.id(), destination,
                m.attempts() + 1, delay, e.getMessage());
    }

    /** Best effort: the dead letter is kept whatever happens to this AE. */
    private void sendFailureAcknowledgement(StoredMessage m, DeliveryException cause) {
        Optional<String> ack = hl7.isEmpty() ? Optional.empty() : applicationAcks.forOutcome(m, Optional.of(
                Hl7MessageException.error("MSH", Hl7Error.APPLICATION_INTERNAL_ERROR, "the result could not be "
                        + "delivered: " + cause.getMessage())));
        if (ack.isPresent()) {
            try {
                hl7.get().sendAcknowledgement(ack.get());
                metrics.delivered("hl7-ack", "ok");
            } catch (DeliveryException e) {
                metrics.delivered("hl7-ack", "retry");
                LOG.warn("message {}: the application acknowledgement AE could not be sent: {}", m.id(),
                        e.getMessage());
            }
        }
    }

    public int runOnce() {
        List<StoredMessage> claimed = store.claim(MessageState.DIAGNOSED, claimSize, owner, lease);
        for (StoredMessage m : claimed) {
            MDC.put("controlId", m.controlId());
            MDC.put("messageId", Long.toString(m.id()));
            try {
                deliver(m);
            } finally {
                MDC.remove("controlId");
                MDC.remove("messageId");
            }
        }
        return claimed.size();
    }

    private void deliver(StoredMessage m) {
        if (!store.renewLease(m.id(), owner, lease)) {
            LOG.info("message {}: lease taken over by another gateway before delivery; left to it", m.id());
            return;
        }
        String destination = "local";
        LeaseRenewals.Held renewal = renewals.keep(m.id());
        try {
            if (fhir.isPresent()) {
                destination = fhir.get().base().toString();
                fhir.get().transaction(m.diagnosis().orElseThrow());
                metrics.delivered("fhir", "ok");
            }
            if (hl7.isPresent() && m.hl7Result().isPresent()) {
                destination = hl7.get().destination();
                hl7.get().send(m.hl7Result().get());
                metrics.delivered("hl7", "ok");
            }
            Optional<String> applicationAck = hl7.isPresent() ? applicationAcks.forOutcome(m, Optional.empty())
                    : Optional.empty();
            if (applicationAck.isPresent()) {
                hl7.get().sendAcknowledgement(applicationAck.get());
                metrics.delivered("hl7-ack", "ok");
            }
        } catch (DeliveryException e) {
            renewal.close(); // before the state changes, which end the lease
            metrics.delivered(destination.startsWith("mllp") ? "hl7" : "fhir", e.isPermanent() ? "rejected" : "retry");
            store.audit(m.id(), "delivered", "8", audit.delivered(m.id(), m.channel().name(), m.controlId(),
                    destination, false, clock.instant()));
            if (e.isPermanent()) {
                store.fail(m.id(), owner, MessageState.DEAD, e.getMessage());
                LOG.warn("message {} result rejected by {}; moved to the dead letter: {}", m.id(), destination,
                        e.getMessage());
                sendFailureAcknowledgement(m, e);
            } else {
                retryOrGiveUp(m, destination, e);
            }
            return;
        } finally {
            renewal.close();
        }
        if (store.markDelivered(m.id(), owner)) {
            store.audit(m.id(), "delivered", "0", audit.delivered(m.id(), m.channel().name(), m.controlId(),
                    destination, true, clock.instant()));
            metrics.endToEnd(Duration.between(m.receivedAt(), clock.instant()));
        }
    }
}
