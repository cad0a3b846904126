package org.tamer.routes.hl7;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The fields of an HL7 v2 MSH segment that routing and acknowledgement need, read from the raw text so that even a
 * message HAPI cannot parse gets an ACK addressed to its sender and naming its control id.
 *
 * @param fieldSeparator     MSH-1
 * @param encodingCharacters MSH-2 (component, repetition, escape, subcomponent and, from v2.7, truncation)
 * @param acceptAckType      MSH-15, when present (its presence selects enhanced mode)
 * @param applicationAckType MSH-16, when present
 * @param charset            MSH-18, when present
 */
public record MessageHeader(
        char fieldSeparator,
        String encodingCharacters,
        String sendingApplication,
        String sendingFacility,
        String receivingApplication,
        String receivingFacility,
        String messageType,
        String triggerEvent,
        String controlId,
        String processingId,
        String version,
        Optional<String> acceptAckType,
        Optional<String> applicationAckType,
        Optional<String> charset) {

    /** The HL7 v2 versions whose ORU waveform messages the gateway reads. */
    public static final Set<String> SUPPORTED_VERSIONS = Set.of("2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7",
            "2.7.1", "2.8", "2.8.1");

    /** The header used to answer a message whose own MSH cannot be read. */
    public static final MessageHeader UNREADABLE = new MessageHeader('|', "^~\\&", "", "", "", "", "", "", "", "P",
            "2.5.1", Optional.empty(), Optional.empty(), Optional.empty());

    /**
     * Reads MSH from the start of {@code message}.
     *
     * @throws Hl7MessageException (a reject) if the message does not begin with a readable MSH segment
     */
    public static MessageHeader read(String message) {
        if (message == null || message.isEmpty()) {
            throw Hl7MessageException.reject("MSH", Hl7Error.REQUIRED_FIELD_MISSING, "the message is empty");
        }
        if (!message.startsWith("MSH") || message.length() < 8) {
            StringBuilder start = new StringBuilder();
            message.substring(0, Math.min(8, message.length())).chars()
                    .forEach(c -> start.append(Character.isISOControl(c) ? printable((char) c) : String.valueOf((char) c)));
            throw Hl7MessageException.reject("MSH", Hl7Error.SEGMENT_SEQUENCE_ERROR,
                    "the message must begin with an MSH segment; it begins with '" + start + "'");
        }
        char separator = message.charAt(3);
        if (Character.isLetterOrDigit(separator) || Character.isWhitespace(separator)) {
            throw Hl7MessageException.reject("MSH-1", Hl7Error.DATA_TYPE_ERROR,
                    "the field separator must be a punctuation character, not '" + printable(separator) + "'");
        }
        int end = segmentEnd(message);
        String[] fields = message.substring(0, end).split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
        String encoding = fields.length > 1 ? fields[1] : "";
        checkEncodingCharacters(encoding, separator);
        char component = encoding.charAt(0);
        String type = field(fields, 9);
        String[] typeParts = type.split(java.util.regex.Pattern.quote(String.valueOf(component)), -1);
        return new MessageHeader(separator, encoding, field(fields, 3), field(fields, 4), field(fields, 5),
                field(fields, 6), typeParts[0], typeParts.length > 1 ? typeParts[1] : "", field(fields, 10),
                firstComponent(field(fields, 11), component), firstComponent(field(fields, 12), component),
                optional(field(fields, 15)), optional(field(fields, 16)), optional(field(fields, 18)));
    }

    /** Enhanced acknowledgement mode: the sender filled MSH-15 or MSH-16. */
    public boolean enhancedMode() {
        return acceptAckType.isPresent() || applicationAckType.isPresent();
    }

    public char componentSeparator() {
        return encodingCharacters.charAt(0);
    }

    private static void checkEncodingCharacters(String encoding, char separator) {
        if (encoding.length() < 4 || encoding.length() > 5) {
            throw Hl7MessageException.reject("MSH-2", Hl7Error.DATA_TYPE_ERROR, "the encoding characters must be 4 "
                    + "characters (component, repetition, escape, subcomponent; 5 with truncation from v2.7), found '"
                    + encoding + "'");
        }
        char[] chars = encoding.toCharArray();
        for (char c : chars) {
            if (Character.isLetterOrDigit(c) || Character.isWhitespace(c) || c == separator) {
                throw Hl7MessageException.reject("MSH-2", Hl7Error.DATA_TYPE_ERROR, "encoding character '"
                        + printable(c) + "' in '" + encoding + "' must be punctuation distinct from the field separator");
            }
        }
        if (Arrays.stream(encoding.split("")).distinct().count() != chars.length) {
            throw Hl7MessageException.reject("MSH-2", Hl7Error.DATA_TYPE_ERROR,
                    "the encoding characters '" + encoding + "' are not distinct");
        }
    }

    private static int segmentEnd(String message) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c == '\r' || c == '\n') {
                return i;
            }
        }
        return message.length();
    }

    /** MSH-n is fields[n - 1], because MSH-1 is the separator itself. */
    private static String field(String[] fields, int number) {
        return fields.length > number - 1 ? fields[number - 1] : "";
    }

    private static String firstComponent(String value, char component) {
        int at = value.indexOf(component);
        return at < 0 ? value : value.substring(0, at);
    }

    private static Optional<String> optional(String value) {
        return value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static String printable(char c) {
        return c < 0x20 ? String.format("0x%02X", (int) c) : String.valueOf(c);
    }
}
