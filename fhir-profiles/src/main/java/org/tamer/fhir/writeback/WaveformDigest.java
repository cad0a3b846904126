package org.tamer.fhir.writeback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.tamer.runtime.ecg.EcgSignal;

/**
 * The SHA-256 of a waveform's content as read: sampling rate, the leads in the source's order with their labels,
 * and every sample's IEEE 754 bits. It does not depend on how the ECG was wrapped (file name, MSH-7, message
 * control id, JSON formatting), so the same recording sent again has the same digest.
 */
public final class WaveformDigest {

    private WaveformDigest() {
    }

    public static String sha256(EcgSignal signal) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer header = ByteBuffer.allocate(16);
            header.putDouble(signal.samplingRateHz()).putInt(signal.leadCount()).putInt(signal.length());
            sha.update(header.array());
            ByteBuffer samples = ByteBuffer.allocate(4 * Math.min(signal.length(), 4096));
            for (int lead = 0; lead < signal.leadCount(); lead++) {
                byte[] label = signal.leads().get(lead).label().getBytes(StandardCharsets.UTF_8);
                sha.update(ByteBuffer.allocate(4).putInt(label.length).array());
                sha.update(label);
                for (int i = 0; i < signal.length(); i++) {
                    if (!samples.hasRemaining()) {
                        sha.update(samples.array(), 0, samples.position());
                        samples.clear();
                    }
                    samples.putInt(Float.floatToIntBits(signal.millivolts(lead, i)));
                }
                sha.update(samples.array(), 0, samples.position());
                samples.clear();
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
