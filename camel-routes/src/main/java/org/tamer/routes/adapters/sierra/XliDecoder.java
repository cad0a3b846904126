package org.tamer.routes.adapters.sierra;

import java.util.ArrayList;
import java.util.List;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.DecoderLimits;

/**
 * Decodes Philips XLI-compressed waveforms: per lead, an 8-byte header (little-endian int32 chunk size, two
 * unused bytes, little-endian int16 start value) followed by an LZW stream of 10-bit codes, most significant bit
 * first. The decompressed bytes hold the high bytes of all samples, then the low bytes; the resulting values are
 * second differences, integrated with the start value.
 *
 * <p>LZW expands up to several hundred times, so the output is bounded while it is produced: each lead by the
 * samples-per-lead limit, all leads together by the decompressed-bytes limit, and the number of leads.
 */
final class XliDecoder {

    private static final int CODE_BITS = 10;
    private static final int MAX_CODE = (1 << CODE_BITS) - 2;

    private XliDecoder() {
    }

    /** The leads in the order stored, as 16-bit sample values. */
    static List<short[]> decode(byte[] data, String source, DecoderLimits limits) {
        List<short[]> leads = new ArrayList<>();
        int offset = 0;
        long budget = limits.maxDecompressedBytes();
        while (offset < data.length) {
            if (leads.size() == limits.maxLeads()) {
                throw new EcgFormatException(source, "parsedwaveforms", DecoderLimits.exceeded("XLI data holds more "
                        + "than " + limits.maxLeads() + " leads", "max-leads", limits.maxLeads()));
            }
            if (data.length - offset < 8) {
                throw new EcgFormatException(source, "parsedwaveforms", "XLI chunk header of lead " + (leads.size() + 1)
                        + " is truncated");
            }
            int size = (data[offset] & 0xff) | (data[offset + 1] & 0xff) << 8 | (data[offset + 2] & 0xff) << 16
                    | (data[offset + 3] & 0xff) << 24;
            short start = (short) ((data[offset + 6] & 0xff) | (data[offset + 7] & 0xff) << 8);
            offset += 8;
            if (size < 0 || size > data.length - offset) {
                throw new EcgFormatException(source, "parsedwaveforms", "XLI chunk of lead " + (leads.size() + 1)
                        + " claims " + size + " bytes but " + (data.length - offset) + " remain");
            }
            byte[] bytes = lzw(data, offset, size, source, leads.size() + 1, limits, budget);
            budget -= bytes.length;
            offset += size;
            leads.add(integrate(bytes, start));
        }
        return leads;
    }

    /**
     * LZW without clear codes; a code is read only while more than 24 bits are buffered, as the encoder pads. Stops
     * with a format error as soon as the output would pass the lead's share of the limits ({@code budget} bytes
     * are left of the decompressed-bytes limit).
     */
    private static byte[] lzw(byte[] data, int from, int length, String source, int lead, DecoderLimits limits,
                              long budget) {
        List<byte[]> table = new ArrayList<>(MAX_CODE + 1);
        for (int i = 0; i < 256; i++) {
            table.add(new byte[] {(byte) i});
        }
        // two bytes per sample, plus the odd byte the encoder may leave
        long leadCap = 2L * limits.maxSamplesPerLead() + 1;
        long cap = Math.min(leadCap, budget);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(cap, length * 3L));
        int position = from;
        int end = from + length;
        long bitBuffer = 0;
        int bitCount = 0;
        byte[] previous = null;
        while (true) {
            while (bitCount <= 24) {
                if (position >= end) {
                    return out.toByteArray();
                }
                bitBuffer |= (long) (data[position++] & 0xff) << (24 - bitCount);
                bitCount += 8;
            }
            int code = (int) ((bitBuffer >>> (32 - CODE_BITS)) & 0xffff);
            bitBuffer = (bitBuffer << CODE_BITS) & 0xffffffffL;
            bitCount -= CODE_BITS;
            if (code > MAX_CODE) {
                return out.toByteArray();
            }
            byte[] entry;
            if (code < table.size()) {
                entry = table.get(code);
            } else if (code == table.size() && previous != null) {
                entry = append(previous, previous[0]);
            } else {
                throw new EcgFormatException(source, "parsedwaveforms", "lead " + lead + ": LZW code " + code
                        + " refers to no dictionary entry (corrupt XLI data)");
            }
            if (previous != null && table.size() <= MAX_CODE) {
                table.add(append(previous, entry[0]));
            }
            if (out.size() + (long) entry.length > cap) {
                throw new EcgFormatException(source, "parsedwaveforms", cap == leadCap
                        ? DecoderLimits.exceeded("lead " + lead + " inflates to more than "
                                + limits.maxSamplesPerLead() + " samples", "max-samples-per-lead",
                                limits.maxSamplesPerLead())
                        : DecoderLimits.exceeded("the XLI data inflates to more than "
                                + limits.maxDecompressedBytes() + " bytes by lead " + lead, "max-decompressed-bytes",
                                limits.maxDecompressedBytes()));
            }
            out.write(entry, 0, entry.length);
            previous = entry;
        }
    }

    private static byte[] append(byte[] prefix, byte last) {
        byte[] joined = java.util.Arrays.copyOf(prefix, prefix.length + 1);
        joined[prefix.length] = last;
        return joined;
    }

    /** High bytes then low bytes → values, then second-difference integration. */
    private static short[] integrate(byte[] decoded, short start) {
        // an odd count is padded with a zero low byte
        byte[] bytes = decoded.length % 2 == 0 ? decoded : java.util.Arrays.copyOf(decoded, decoded.length + 1);
        int n = bytes.length / 2;
        short[] d = new short[n];
        for (int i = 0; i < n; i++) {
            d[i] = (short) ((bytes[i] & 0xff) << 8 | (bytes[n + i] & 0xff));
        }
        if (n < 3) {
            return d;
        }
        int x = d[0];
        int y = d[1];
        int last = start;
        for (int i = 2; i < n; i++) {
            int z = (y + y) - x - last;
            last = d[i] - 64;
            d[i] = (short) z;
            x = y;
            y = z;
        }
        return d;
    }
}
