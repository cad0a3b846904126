package org.tamer.routes.route;

import java.util.Optional;

/**
 * Where the MLLP route hands each received message: the implementation stores it durably, checks it and returns the
 * acknowledgement to send back on the same connection (empty when the sender asked for none). It must not return
 * an accept before the message is committed; when it cannot store, it returns a reject that invites a resend.
 */
public interface Hl7Intake {

    /**
     * @param raw           the message bytes as framed by the sender (without the MLLP envelope)
     * @param remoteAddress the sender's address, for audit
     */
    Optional<byte[]> receive(byte[] raw, String remoteAddress);

    /**
     * A frame the listener refused without passing it on (over the size limit, or cut off by the next start block):
     * the answer to send, built from the frame's first bytes, which hold its MSH segment.
     *
     * @param head   the frame's first bytes (at most the listener's limit)
     * @param reason why the frame was refused, for the ERR segment
     * @return the reject to send; empty to send nothing
     */
    default Optional<byte[]> refuse(byte[] head, String reason, String remoteAddress) {
        return Optional.empty();
    }
}
