package org.tamer.gateway.store;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The sizes of the values the store keeps in sized columns (migration V3_1), and the checks intake makes against
 * them, so that a value too long is refused with the limit named when the message arrives instead of failing the
 * store's commit (which asks the sender to resend, again and again).
 */
public final class MessageLimits {

    /** Characters of a control id (MSH-10, a file name with its content hash, a polled resource's address). */
    public static final int CONTROL_ID_CHARACTERS = 512;
    /** Characters of a record id (OBR-3, a FHIR identifier value, a file's own identifier). */
    public static final int RECORD_ID_CHARACTERS = 4000;
    /** Characters of a remote address kept; longer ones are shortened. */
    public static final int REMOTE_ADDRESS_CHARACTERS = 1024;
    /** Bytes of an uploaded file's name (UTF-8), the longest name common file systems allow. */
    public static final int FILE_NAME_BYTES = 255;

    private MessageLimits() {
    }

    /** Why a control id cannot be stored, if it cannot. */
    public static Optional<String> controlIdProblem(String controlId) {
        return controlId.length() <= CONTROL_ID_CHARACTERS ? Optional.empty()
                : Optional.of("is " + controlId.length() + " characters long; this gateway stores at most "
                + CONTROL_ID_CHARACTERS);
    }

    /** Why a record id cannot be stored, if it cannot. */
    public static Optional<String> recordIdProblem(String recordId) {
        return recordId.length() <= RECORD_ID_CHARACTERS ? Optional.empty()
                : Optional.of("is " + recordId.length() + " characters long; this gateway stores at most "
                + RECORD_ID_CHARACTERS);
    }

    /** Why an uploaded file's name cannot be kept, if it cannot. */
    public static Optional<String> fileNameProblem(String name) {
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        return bytes <= FILE_NAME_BYTES ? Optional.empty()
                : Optional.of("is " + bytes + " bytes long (UTF-8); file names may have at most " + FILE_NAME_BYTES);
    }

    static String shortenedRemoteAddress(String remote) {
        return remote == null || remote.length() <= REMOTE_ADDRESS_CHARACTERS ? remote
                : remote.substring(0, REMOTE_ADDRESS_CHARACTERS - 1) + "…";
    }
}
