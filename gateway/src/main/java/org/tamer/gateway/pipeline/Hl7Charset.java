package org.tamer.gateway.pipeline;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Decodes HL7 v2 bytes: UTF-8 when MSH-18 says so (UNICODE UTF-8), otherwise the configured default (ISO-8859-1,
 * which never fails and keeps ASCII as it is).
 */
public final class Hl7Charset {

    private final Charset fallback;

    public Hl7Charset(Charset fallback) {
        this.fallback = Objects.requireNonNull(fallback, "fallback");
    }

    public String decode(byte[] raw) {
        return new String(raw, charsetOf(raw));
    }

    public byte[] encode(String text, byte[] original) {
        return text.getBytes(charsetOf(original));
    }

    private Charset charsetOf(byte[] raw) {
        int end = 0;
        while (end < raw.length && raw[end] != '\r' && raw[end] != '\n') {
            end++;
        }
        String msh = new String(raw, 0, end, StandardCharsets.ISO_8859_1);
        return msh.contains("UNICODE UTF-8") ? StandardCharsets.UTF_8 : fallback;
    }
}
