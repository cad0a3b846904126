package org.tamer.runtime.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a PTB-XL signal file directly (12 interleaved little-endian 16-bit leads, gain 1000/mV, baseline 0), so
 * that model-runtime tests can use real ECGs without the adapters of camel-routes.
 */
public final class PtbXlRaw {

    private PtbXlRaw() {
    }

    /** {@code [lead][sample]} millivolts of PTB-XL record {@code ecgId}, leads in the canonical order. */
    public static float[][] millivolts(int ecgId, boolean highRate) {
        Path header = SharedData.ptbXlHeader(ecgId, highRate);
        Path dat = header.resolveSibling(header.getFileName().toString().replace(".hea", ".dat"));
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(dat)).order(ByteOrder.LITTLE_ENDIAN);
            int frames = bytes.capacity() / 24;
            float[][] mv = new float[12][frames];
            for (int t = 0; t < frames; t++) {
                for (int lead = 0; lead < 12; lead++) {
                    mv[lead][t] = bytes.getShort() / 1000f;
                }
            }
            return mv;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
