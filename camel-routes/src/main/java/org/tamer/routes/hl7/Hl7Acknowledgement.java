package org.tamer.routes.hl7;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds ACK messages: original mode (AA/AE/AR) or enhanced mode (CA/CE/CR) as the sender's MSH-15 and MSH-16
 * ask, with an ERR segment naming the field and the table 0357 condition when the message is not accepted. The ACK
 * uses the sender's separators and version; ERR is written in the v2.5+ layout (ERR-2, -3, -4, -8) or, for v2.3
 * and v2.4, in ERR-1.
 */
public final class Hl7Acknowledgement {

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");
    private static final Pattern LOCATION = Pattern.compile("([A-Z][A-Z0-9]{2})(?:\\[(\\d+)])?(?:-(\\d+)(?:\\.(\\d+))?)?");

    private final String applicationName;
    private final String facilityName;

    /** @param applicationName MSH-3 of the ACKs (the gateway); @param facilityName MSH-4 */
    public Hl7Acknowledgement(String applicationName, String facilityName) {
        this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
        this.facilityName = Objects.requireNonNull(facilityName, "facilityName");
    }

    /**
     * The acknowledgement to send back on the connection for a message, or empty when the sender asked for none
     * in this case (enhanced mode with MSH-15 NE, or ER/SU not matching the outcome).
     *
     * @param error why the message is not accepted; empty if it was durably accepted
     */
    public Optional<String> acknowledge(MessageHeader header, Optional<Hl7MessageException> error, String ackControlId,
                                        ZonedDateTime now) {
        AcknowledgementCode code = code(header, error);
        if (header.enhancedMode()) {
            String when = header.acceptAckType().orElse("AL");
            boolean send = switch (when) {
                case "NE" -> false;
                case "ER" -> !code.isAccept();
                case "SU" -> code.isAccept();
                default -> true;
            };
            if (!send) {
                return Optional.empty();
            }
        }
        return Optional.of(build(header, code, error, ackControlId, now));
    }

    /**
     * The application acknowledgement of enhanced mode, sent as its own message once processing has ended: AA when
     * the result was produced and delivered, AE (AR for a reject) with an ERR segment when it could not be. Empty in
     * original mode (the one ACK already said everything) and when MSH-16 asks for none in this case: NE never, ER
     * only on errors, SU only on success, AL (or an empty MSH-16 beside a filled MSH-15) always.
     *
     * @param error why processing failed; empty on success
     */
    public Optional<String> applicationAcknowledgement(MessageHeader header, Optional<Hl7MessageException> error,
                                                       String ackControlId, ZonedDateTime now) {
        if (!header.enhancedMode()) {
            return Optional.empty();
        }
        boolean success = error.isEmpty();
        boolean send = switch (header.applicationAckType().orElse("AL")) {
            case "NE" -> false;
            case "ER" -> !success;
            case "SU" -> success;
            default -> true;
        };
        if (!send) {
            return Optional.empty();
        }
        AcknowledgementCode code = success ? AcknowledgementCode.AA
                : error.get().isReject() ? AcknowledgementCode.AR : AcknowledgementCode.AE;
        return Optional.of(build(header, code, error, ackControlId, now));
    }

    /** The MSA-1 code for an outcome in the sender's acknowledgement mode. */
    public static AcknowledgementCode code(MessageHeader header, Optional<Hl7MessageException> error) {
        boolean enhanced = header.enhancedMode();
        if (error.isEmpty()) {
            return enhanced ? AcknowledgementCode.CA : AcknowledgementCode.AA;
        }
        if (error.get().isReject()) {
            return enhanced ? AcknowledgementCode.CR : AcknowledgementCode.AR;
        }
        return enhanced ? AcknowledgementCode.CE : AcknowledgementCode.AE;
    }

    private String build(MessageHeader h, AcknowledgementCode code, Optional<Hl7MessageException> error,
                         String ackControlId, ZonedDateTime now) {
        char f = h.fieldSeparator();
        char c = h.componentSeparator();
        Hl7Text text = new Hl7Text(f, h.encodingCharacters());
        String version = MessageHeader.SUPPORTED_VERSIONS.contains(h.version()) ? h.version() : "2.5.1";
        StringBuilder ack = new StringBuilder(256);
        ack.append("MSH").append(f).append(h.encodingCharacters())
                .append(f).append(text.escape(applicationName))
                .append(f).append(text.escape(facilityName))
                .append(f).append(h.sendingApplication())
                .append(f).append(h.sendingFacility())
                .append(f).append(TIMESTAMP.format(now.withZoneSameInstant(ZoneOffset.UTC)))
                .append(f)
                .append(f).append("ACK").append(c).append(h.triggerEvent()).append(c).append("ACK")
                .append(f).append(text.escape(ackControlId))
                .append(f).append(h.processingId().isEmpty() ? "P" : h.processingId())
                .append(f).append(version)
                .append('\r');
        ack.append("MSA").append(f).append(code).append(f).append(h.controlId());
        error.ifPresent(e -> ack.append(f).append(text.escape(truncate(e.reason(), 80))));
        ack.append('\r');
        error.ifPresent(e -> ack.append(errSegment(e, version, f, c, h.encodingCharacters().charAt(3), text)));
        return ack.toString();
    }

    private static String errSegment(Hl7MessageException e, String version, char f, char c, char s, Hl7Text text) {
        Matcher m = LOCATION.matcher(e.location());
        String segment = "";
        String sequence = "";
        String field = "";
        String component = "";
        if (m.matches()) {
            segment = m.group(1);
            sequence = m.group(2) == null ? "1" : m.group(2);
            field = m.group(3) == null ? "" : m.group(3);
            component = m.group(4) == null ? "" : m.group(4);
        }
        Hl7Error error = e.error();
        StringBuilder err = new StringBuilder("ERR").append(f);
        if (version.startsWith("2.3") || version.startsWith("2.4")) {
            err.append(segment).append(c).append(sequence).append(c).append(field).append(c)
                    .append(error.code()).append(s).append(text.escape(error.text())).append(s).append("HL70357");
        } else {
            String location = segment + c + sequence + c + field + (component.isEmpty() ? "" : c + "1" + c + component);
            err.append(f).append(location)
                    .append(f).append(error.code()).append(c).append(text.escape(error.text())).append(c).append("HL70357")
                    .append(f).append('E')
                    .append(f).append(f).append(f).append(f)
                    .append(f).append(text.escape(e.reason()));
        }
        return err.append('\r').toString();
    }

    private static String truncate(String value, int length) {
        return value.length() <= length ? value : value.substring(0, length - 1) + "…";
    }
}
