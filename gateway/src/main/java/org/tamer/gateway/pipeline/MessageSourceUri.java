package org.tamer.gateway.pipeline;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.tamer.gateway.store.Channel;

/**
 * The URI naming a stored message in its results' {@code meta.source}: {@code urn:tamer:message:CHANNEL:CONTROL_ID}.
 * A control id is whatever the sender chose (an HL7 ST value may hold spaces and any character of its charset),
 * so every character a URI cannot hold, and {@code %} itself, is percent-encoded as UTF-8; a control id made of
 * URI characters only is written as it is.
 */
public final class MessageSourceUri {

    private static final String PREFIX = "urn:tamer:message:";
    private static final String KEPT = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~:/?#[]@!$&'()*+,;=";

    private MessageSourceUri() {
    }

    public static String of(Channel channel, String controlId) {
        StringBuilder uri = new StringBuilder(PREFIX).append(channel.name()).append(':');
        for (byte b : controlId.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c < 0x80 && KEPT.indexOf(c) >= 0) {
                uri.append((char) c);
            } else {
                uri.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return uri.toString();
    }

    /**
     * The control id of an encoded control-id part (what follows {@code CHANNEL:}).
     *
     * @throws IllegalArgumentException if a percent sign is not followed by two hex digits
     */
    public static String controlId(String encoded) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        byte[] in = encoded.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%') {
                int high = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
                int low = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("a % in a message source URI must be followed by two hex "
                            + "digits");
                }
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                bytes.write(in[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
