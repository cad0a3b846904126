package org.tamer.routes.hl7;

import java.util.Objects;
import org.tamer.runtime.ecg.EcgRecord;

/** An ECG read from an HL7 v2 message, with the message's header for acknowledgement and routing. */
public record Hl7Ecg(MessageHeader header, EcgRecord record) {

    public Hl7Ecg {
        Objects.requireNonNull(header, "header");
        Objects.requireNonNull(record, "record");
    }
}
