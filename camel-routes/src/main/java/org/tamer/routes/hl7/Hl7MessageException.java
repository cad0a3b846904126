package org.tamer.routes.hl7;

import java.util.Objects;

/**
 * An HL7 v2 message that cannot be accepted, with the place in the message (an ERR-2 style location such as
 * {@code OBX[3]-5}), the reason, whether it is rejected outright (AR/CR: the envelope is wrong) or is an error in
 * its content (AE/CE), and the table 0357 condition.
 */
public final class Hl7MessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String location;
    private final String reason;
    private final boolean reject;
    private final Hl7Error error;

    private Hl7MessageException(String location, String reason, boolean reject, Hl7Error error, Throwable cause) {
        super(location + ": " + reason, cause);
        this.location = Objects.requireNonNull(location, "location");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.reject = reject;
        this.error = Objects.requireNonNull(error, "error");
    }

    /** The envelope (framing, MSH, type, version) is wrong: AR, or CR in enhanced mode. */
    public static Hl7MessageException reject(String location, Hl7Error error, String reason) {
        return new Hl7MessageException(location, reason, true, error, null);
    }

    /** The content (waveform, report) is wrong or missing: AE, or CE in enhanced mode. */
    public static Hl7MessageException error(String location, Hl7Error error, String reason) {
        return new Hl7MessageException(location, reason, false, error, null);
    }

    public static Hl7MessageException error(String location, Hl7Error error, String reason, Throwable cause) {
        return new Hl7MessageException(location, reason, false, error, cause);
    }

    public String location() {
        return location;
    }

    public String reason() {
        return reason;
    }

    public boolean isReject() {
        return reject;
    }

    public Hl7Error error() {
        return error;
    }
}
