package org.tamer.gateway.pipeline;

import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Objects;
import java.util.Optional;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7MessageException;
import org.tamer.routes.hl7.MessageHeader;

/**
 * The application acknowledgements of HL7 v2 enhanced mode (MSH-16) for messages whose processing has ended: the
 * accept ACK (CA) went back on the sender's connection when the message was stored; this second ACK, AA or
 * AE/AR, goes to the configured HL7 destination once the result is delivered or has finally failed. Messages
 * from other channels and original-mode messages get none.
 */
public final class ApplicationAcknowledgements {

    private final Hl7Acknowledgement acknowledgements;
    private final Hl7Charset charset;
    private final Clock clock;

    public ApplicationAcknowledgements(Hl7Acknowledgement acknowledgements, Hl7Charset charset, Clock clock) {
        this.acknowledgements = Objects.requireNonNull(acknowledgements, "acknowledgements");
        this.charset = Objects.requireNonNull(charset, "charset");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param error why processing finally failed; empty when the result was delivered
     * @return the ACK message to send, or empty when the sender asked for none in this case
     */
    public Optional<String> forOutcome(StoredMessage message, Optional<Hl7MessageException> error) {
        if (message.channel() != Channel.MLLP) {
            return Optional.empty();
        }
        MessageHeader header;
        try {
            header = MessageHeader.read(charset.decode(message.raw()));
        } catch (Hl7MessageException e) {
            return Optional.empty();
        }
        return acknowledgements.applicationAcknowledgement(header, error, "P" + message.contentSha256()
                .substring(0, 19), ZonedDateTime.now(clock));
    }
}
