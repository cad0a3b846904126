package org.tamer.gateway.pipeline;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.Insertion;
import org.tamer.gateway.store.MessageLimits;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.NewMessage;
import org.tamer.gateway.store.StoreException;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7Ecg;
import org.tamer.routes.hl7.Hl7Error;
import org.tamer.routes.hl7.Hl7MessageException;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.routes.hl7.MessageHeader;
import org.tamer.routes.route.Hl7Intake;
import org.tamer.runtime.Digests;
import org.tamer.runtime.ecg.MissingLeadsException;
import org.tamer.runtime.ecg.StandardLead;

/**
 * Intake of HL7 v2 messages from the MLLP route: checks the message (envelope, waveform, the twelve leads), stores
 * its raw bytes with its state and its acknowledgement in one commit, and only then returns the acknowledgement. A
 * resend of a stored message (same MSH-10, same bytes) gets the stored acknowledgement and is not processed again.
 * If the store cannot commit, the answer is AR (CR) with condition 207, which invites the sender to resend.
 */
public final class Hl7MessageIntake implements Hl7Intake {

    private static final Logger LOG = LoggerFactory.getLogger(Hl7MessageIntake.class);

    private final Hl7WaveformAdapter adapter;
    private final Hl7Acknowledgement acknowledgements;
    private final MessageStore store;
    private final AuditEvents audit;
    private final GatewayMetrics metrics;
    private final Hl7Charset charset;
    private final int maxMessageBytes;
    private final ModelInputCheck modelInput;
    private final Clock clock;

    public Hl7MessageIntake(Hl7WaveformAdapter adapter, Hl7Acknowledgement acknowledgements, MessageStore store,
                            AuditEvents audit, GatewayMetrics metrics, Hl7Charset charset, int maxMessageBytes,
                            ModelInputCheck modelInput, Clock clock) {
        this.adapter = Objects.requireNonNull(adapter, "adapter");
        this.acknowledgements = Objects.requireNonNull(acknowledgements, "acknowledgements");
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.maxMessageBytes = maxMessageBytes;
        this.modelInput = Objects.requireNonNull(modelInput, "modelInput");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Optional<byte[]> receive(byte[] raw, String remoteAddress) {
        String text = charset.decode(raw);
        String sha = Digests.sha256Hex(raw);
        MessageHeader header;
        Optional<Hl7MessageException> error = Optional.empty();
        try {
            header = MessageHeader.read(text);
        } catch (Hl7MessageException e) {
            header = MessageHeader.UNREADABLE;
            error = Optional.of(e);
        }
        String controlId = header.controlId().isBlank() ? "unidentified-" + sha.substring(0, 16) : header.controlId();
        Optional<String> controlIdProblem = MessageLimits.controlIdProblem(controlId);
        if (controlIdProblem.isPresent()) {
            // stored under a stand-in (its hash), so that the refusal itself can be kept
            controlId = "oversized-" + sha.substring(0, 32);
            if (error.isEmpty()) {
                error = Optional.of(Hl7MessageException.error("MSH-10", Hl7Error.DATA_TYPE_ERROR,
                        "the message control id " + controlIdProblem.get()));
            }
        }
        MDC.put("controlId", controlId);
        try {
            String type = header.messageType() + "^" + header.triggerEvent();
            Optional<String> recordId = Optional.empty();
            if (raw.length > maxMessageBytes) {
                error = Optional.of(Hl7MessageException.reject("MSH", Hl7Error.APPLICATION_INTERNAL_ERROR, "the message "
                        + "is " + raw.length + " bytes; this gateway accepts at most " + maxMessageBytes));
                String ack = ack(header, error, sha);
                metrics.received("MLLP", type, Hl7Acknowledgement.code(header, error).name());
                LOG.warn("message rejected unstored: {}", error.get().getMessage());
                return bytes(ack, raw);
            }
            if (error.isEmpty()) {
                try {
                    Hl7Ecg ecg = adapter.read(text);
                    ecg.record().signal().select(StandardLead.CANONICAL_ORDER);
                    Optional<String> recordIdProblem = MessageLimits.recordIdProblem(ecg.record().id());
                    if (recordIdProblem.isPresent()) {
                        throw Hl7MessageException.error("OBR-3", Hl7Error.DATA_TYPE_ERROR, "the ECG's identifier "
                                + recordIdProblem.get());
                    }
                    try {
                        modelInput.check(ecg.record());
                    } catch (MissingLeadsException e) {
                        throw e;
                    } catch (IllegalArgumentException e) {
                        throw Hl7MessageException.error("OBX-5", Hl7Error.DATA_TYPE_ERROR,
                                "the model cannot read this ECG: " + e.getMessage(), e);
                    }
                    recordId = Optional.of(ecg.record().id());
                } catch (Hl7MessageException e) {
                    error = Optional.of(e);
                } catch (MissingLeadsException e) {
                    error = Optional.of(Hl7MessageException.error("OBX-3", Hl7Error.REQUIRED_FIELD_MISSING,
                            "the ECG lacks leads the model needs: " + e.getMessage()));
                }
            }
            String ack = ack(header, error, sha);
            Insertion stored;
            try {
                stored = store.insert(new NewMessage(Channel.MLLP, controlId, sha, raw, remoteAddress,
                        error.isEmpty() ? MessageState.PARSED : MessageState.FAILED, Optional.ofNullable(ack),
                        error.map(Hl7MessageException::getMessage), recordId, Optional.empty()));
            } catch (StoreException e) {
                LOG.error("message not stored; answering with a reject so that the sender resends", e);
                Optional<Hl7MessageException> storeError = Optional.of(Hl7MessageException.reject("MSH",
                        Hl7Error.APPLICATION_INTERNAL_ERROR, "the gateway could not store the message; resend it"));
                metrics.received("MLLP", type, "store-failure");
                return bytes(acknowledgements.acknowledge(header, storeError, "A" + sha.substring(0, 19),
                        ZonedDateTime.now(clock)).orElse(null), raw);
            }
            if (stored.duplicate()) {
                metrics.received("MLLP", type, "duplicate");
                LOG.info("resend of stored message {}: answered with its original acknowledgement",
                        stored.message().id());
                return stored.message().ack().flatMap(a -> bytes(a, raw));
            }
            MDC.put("messageId", Long.toString(stored.message().id()));
            store.audit(stored.message().id(), "received", error.isEmpty() ? "0" : "4", audit.received(
                    stored.message().id(), "MLLP", controlId, remoteAddress, error.isEmpty(), clock.instant()));
            metrics.received("MLLP", type, Hl7Acknowledgement.code(header, error).name());
            if (error.isPresent()) {
                LOG.info("message {} stored as FAILED: {}", stored.message().id(), error.get().getMessage());
            } else {
                LOG.debug("message {} stored", stored.message().id());
            }
            return bytes(ack, raw);
        } finally {
            MDC.remove("controlId");
            MDC.remove("messageId");
        }
    }

    /**
     * A frame the listener refused unread (over the size limit, or without an end block): answered with AR and an
     * ERR segment giving the reason, built from the MSH in its first bytes; nothing is stored.
     */
    @Override
    public Optional<byte[]> refuse(byte[] head, String reason, String remoteAddress) {
        String sha = Digests.sha256Hex(head);
        MessageHeader header;
        try {
            header = MessageHeader.read(charset.decode(head));
        } catch (Hl7MessageException e) {
            header = MessageHeader.UNREADABLE;
        }
        Optional<Hl7MessageException> error = Optional.of(Hl7MessageException.reject("MSH",
                Hl7Error.APPLICATION_INTERNAL_ERROR, reason));
        metrics.received("MLLP", header.messageType() + "^" + header.triggerEvent(),
                Hl7Acknowledgement.code(header, error).name());
        return bytes(ack(header, error, sha), head);
    }

    private String ack(MessageHeader header, Optional<Hl7MessageException> error, String sha) {
        return acknowledgements.acknowledge(header, error, "A" + sha.substring(0, 19), ZonedDateTime.now(clock))
                .orElse(null);
    }

    private Optional<byte[]> bytes(String ack, byte[] raw) {
        return Optional.ofNullable(ack).map(a -> charset.encode(a, raw));
    }
}
