package org.tamer.gateway.delivery;

import java.io.IOException;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.tamer.routes.hl7.MessageHeader;
import org.tamer.routes.mllp.MllpClient;

/**
 * Sends HL7 v2 results to the configured MLLP destination and checks the reply: MSA-2 must echo the result's
 * MSH-10; AA/CA is delivered, AR/CR is permanent (the dead letter), AE/CE and transport failures are retried.
 */
public final class Hl7ResultSender {

    private final String host;
    private final int port;
    private final SSLContext tls;
    private final Duration timeout;
    private final Charset charset;

    /** @param tls null for plain TCP */
    public Hl7ResultSender(String host, int port, SSLContext tls, Duration timeout, Charset charset) {
        this.host = Objects.requireNonNull(host, "host");
        this.port = port;
        this.tls = tls;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.charset = Objects.requireNonNull(charset, "charset");
    }

    public String destination() {
        return "mllp://" + host + ":" + port;
    }

    /**
     * Sends an acknowledgement message (the application ACK of enhanced mode). Acknowledgements are not themselves
     * acknowledged, so the frame is written and the connection closed without waiting for a reply.
     */
    public void sendAcknowledgement(String acknowledgement) throws DeliveryException {
        try (MllpClient client = MllpClient.connect(host, port, tls, timeout, charset)) {
            client.write(acknowledgement);
        } catch (IOException e) {
            throw new DeliveryException("HL7 destination " + destination() + ": " + e.getMessage(), false, e);
        }
    }

    public void send(String result) throws DeliveryException {
        String controlId = MessageHeader.read(result).controlId();
        String reply;
        try (MllpClient client = MllpClient.connect(host, port, tls, timeout, charset)) {
            reply = client.send(result);
        } catch (IOException e) {
            throw new DeliveryException("HL7 destination " + destination() + ": " + e.getMessage(), false, e);
        }
        String msa = null;
        for (String segment : reply.split("\r")) {
            if (segment.startsWith("MSA")) {
                msa = segment;
            }
        }
        if (msa == null) {
            throw new DeliveryException("HL7 destination " + destination() + " replied without an MSA segment", false,
                    null);
        }
        char separator = msa.length() > 3 ? msa.charAt(3) : '|';
        String[] fields = msa.split(java.util.regex.Pattern.quote(String.valueOf(separator)), -1);
        String code = fields.length > 1 ? fields[1] : "";
        String echoed = fields.length > 2 ? fields[2] : "";
        if (!controlId.equals(echoed)) {
            throw new DeliveryException("HL7 destination " + destination() + " acknowledged control id '" + echoed
                    + "' instead of '" + controlId + "'", false, null);
        }
        switch (code) {
            case "AA", "CA" -> {
            }
            case "AR", "CR" -> throw new DeliveryException("HL7 destination " + destination() + " rejected the result ("
                    + code + "): " + msa, true, null);
            default -> throw new DeliveryException("HL7 destination " + destination() + " answered " + code + ": "
                    + msa, false, null);
        }
    }
}
