package org.tamer.fhir.writeback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Who sent an ECG, what the sender calls it, and what it contains: the identity of its result. Two ECGs have the
 * same identity only when all three agree, so a resend (same sender, same identifier, same waveform) is recognised
 * as one, while two different ECGs that share an identifier value (the same OBR-3 from two carts, {@code x} in two
 * identifier systems, a file name reused for a new recording) are kept apart.
 *
 * @param sender          the source's own identity: {@code hl7v2:MSH-3|MSH-4}, a FHIR identifier system, the
 *                        uploading client
 * @param system          the identifier system the sender uses for its ECGs (a URI), when it has one
 * @param value           the sender's identifier of the ECG, when it has one (a file's own identifier, never its
 *                        name)
 * @param waveformSha256  {@link WaveformDigest#sha256} of the waveform
 */
public record EcgSourceIdentity(String sender, Optional<String> system, Optional<String> value,
                                String waveformSha256) {

    public EcgSourceIdentity {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(waveformSha256, "waveformSha256");
        if (sender.isBlank()) {
            throw new IllegalArgumentException("the sender of an ECG is blank");
        }
        if (!waveformSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("waveformSha256 must be 64 lower-case hex digits");
        }
        system = system.filter(s -> !s.isBlank());
        value = value.filter(v -> !v.isBlank());
    }

    /**
     * The identity as 64 hex digits: SHA-256 over the length-prefixed UTF-8 fields, so that no choice of values can
     * make two different identities meet by concatenation.
     */
    public String key() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            field(sha, "tamer-ecg-identity/1");
            field(sha, sender);
            field(sha, system.orElse(""));
            field(sha, value.orElse(""));
            field(sha, waveformSha256);
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static void field(MessageDigest sha, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }
}
