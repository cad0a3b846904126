package org.tamer.routes.adapters.wfdb;

import org.tamer.routes.adapters.EcgFormatException;

/**
 * Decodes the samples of one WFDB signal file into ADC values per signal. Formats 16 (little-endian 16-bit two's
 * complement) and 212 (pairs of 12-bit samples in three bytes) are supported; samples of all signals in the file
 * are interleaved frame by frame. The invalid-sample markers (-32768 in format 16, -2048 in format 212) become
 * {@link #MISSING}.
 */
public final class WfdbSampleDecoder {

    /** The value a sample the recorder marked invalid decodes to. */
    public static final int MISSING = Integer.MIN_VALUE;

    /**
     * The bytes a signal file must hold for {@code frames} frames after {@code offset}, or -1 when the header gives
     * no number of samples (or the format is not supported: the decoder reports that).
     */
    public static long bytesFor(int format, int signals, long frames, long offset) {
        if (frames < 0) {
            return -1;
        }
        try {
            long samples = Math.multiplyExact(frames, (long) signals);
            return switch (format) {
                case 16 -> Math.addExact(offset, Math.multiplyExact(samples, 2L));
                case 212 -> Math.addExact(offset, Math.addExact(Math.multiplyExact(samples, 3L), 1L) / 2);
                default -> -1;
            };
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * @param data    the signal file (at least the bytes the header needs, when the file has them)
     * @param format  16 or 212
     * @param signals number of signals interleaved in the file
     * @param frames  frames to decode, or -1 for as many as the file holds
     * @param offset  bytes to skip at the start
     * @param source  the file name, for error messages
     * @return {@code [signal][sample]} ADC values
     */
    public int[][] decode(byte[] data, int format, int signals, long frames, long offset, String source) {
        if (offset > data.length) {
            throw new EcgFormatException(source, "byte offset", "offset " + offset + " is beyond the end of the "
                    + data.length + "-byte file");
        }
        long available = data.length - offset;
        long framesInFile = switch (format) {
            case 16 -> available / (2L * signals);
            case 212 -> (available * 2 / 3) / signals;
            default -> throw new EcgFormatException(source, "format", "storage format " + format
                    + " is not supported (supported: 16, 212)");
        };
        long count = frames < 0 ? framesInFile : frames;
        if (count > framesInFile) {
            throw new EcgFormatException(source, "samples", "the header declares " + count
                    + " samples per signal but the file holds only " + framesInFile + " (" + data.length
                    + " bytes): the file is truncated");
        }
        if (count > Integer.MAX_VALUE) {
            throw new EcgFormatException(source, "samples", count + " samples per signal is too many to hold");
        }
        int n = (int) count;
        int[][] out = new int[signals][n];
        int base = (int) offset;
        if (format == 16) {
            int p = base;
            for (int t = 0; t < n; t++) {
                for (int s = 0; s < signals; s++) {
                    int v = (short) ((data[p] & 0xff) | (data[p + 1] << 8));
                    out[s][t] = v == -32768 ? MISSING : v;
                    p += 2;
                }
            }
        } else {
            long total = (long) n * signals;
            for (long i = 0; i < total; i++) {
                int pair = (int) (base + (i / 2) * 3);
                int v;
                if (i % 2 == 0) {
                    v = (data[pair] & 0xff) | ((data[pair + 1] & 0x0f) << 8);
                } else {
                    v = (data[pair + 2] & 0xff) | ((data[pair + 1] & 0xf0) << 4);
                }
                if (v >= 2048) {
                    v -= 4096;
                }
                out[(int) (i % signals)][(int) (i / signals)] = v == -2048 ? MISSING : v;
            }
        }
        return out;
    }
}
