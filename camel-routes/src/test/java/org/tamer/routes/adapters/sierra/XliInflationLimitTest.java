package org.tamer.routes.adapters.sierra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.testdata.SharedData;

/**
 * The observed case: a real Philips Sierra file whose XLI stream is replaced by one of the same kind that inflates
 * to about 180 MB (12 leads of LZW codes that each stand for 768 zero bytes; about 400 KB as a file). It took the
 * heap of both diagnosis threads. It must be refused by the limits while it inflates, before the memory is taken.
 */
class XliInflationLimitTest {

    /** Codes per lead: 19,500 codes of 768 bytes = 15 MB per lead, 180 MB over 12 leads. */
    private static final int CODES_PER_LEAD = 19_500;

    @Test
    void aRealFileWithAnInflatingXliStreamIsRefusedBeforeItsMemoryIsTaken() throws Exception {
        byte[] hostile = hostileFile();
        assertTrue(hostile.length < 450_000, "file of " + hostile.length + " bytes");
        long before = allocatedBytes();
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> new SierraEcgReader().read(hostile, "hostile.xml"));
        long allocated = allocatedBytes() - before;
        assertEquals("parsedwaveforms", e.field());
        assertTrue(e.reason().contains("tamer.decoder.max-samples-per-lead"), e.reason());
        // the first lead stops at 2 MB of output; without the limit the read allocates over 180 MB
        assertTrue(allocated < 40L << 20, "allocated " + (allocated >> 20) + " MB while refusing the file");
    }

    @Test
    void theDecompressedBytesLimitBoundsAllLeadsTogether() throws Exception {
        byte[] hostile = hostileFile();
        DecoderLimits limits = new DecoderLimits(8L << 20, 64, 100_000_000, 2_000_000_000L, 32, 200_000, 1_000,
                1_000_000);
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> new SierraEcgReader(limits).read(hostile, "hostile.xml"));
        assertTrue(e.reason().contains("inflates to more than 8388608 bytes by lead 1")
                && e.reason().contains("tamer.decoder.max-decompressed-bytes"), e.reason());
    }

    @Test
    void theRealFileItselfIsWithinTheLimits() throws Exception {
        byte[] real = Files.readAllBytes(SharedData.file("formats/sierra/1_03/129DYPRG.XML"));
        assertEquals(12, new SierraEcgReader().read(real, "129DYPRG.XML").signal().leadCount());
    }

    /** 129DYPRG.XML (Sierra 1.03, XLI) with the content of its parsedwaveforms element replaced. */
    static byte[] hostileFile() throws Exception {
        String xml = Files.readString(SharedData.file("formats/sierra/1_03/129DYPRG.XML"),
                StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("(<parsedwaveforms[^>]*>)[^<]*(</parsedwaveforms>)").matcher(xml);
        assertTrue(m.find(), "the real file has a parsedwaveforms element");
        ByteArrayOutputStream xli = new ByteArrayOutputStream();
        for (int lead = 0; lead < 12; lead++) {
            byte[] codes = zeroRunCodes(CODES_PER_LEAD);
            writeIntLe(xli, codes.length);
            xli.write(new byte[] {0, 0, 0, 0}); // two unused bytes, start value 0
            xli.write(codes);
        }
        String base64 = Base64.getEncoder().encodeToString(xli.toByteArray());
        String replaced = xml.substring(0, m.end(1)) + base64 + xml.substring(m.start(2));
        return replaced.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * An LZW stream (10-bit codes, most significant bit first, no clear code) of zero bytes: code 0, then each new
     * code in turn (the encoder's "KwKwK" case, one zero longer each time) until the table is full at code 1022,
     * then code 1022 (768 zeros) repeated; padded with 1-bits, which read as code 1023, the end.
     */
    static byte[] zeroRunCodes(int count) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long buffer = 0;
        int bits = 0;
        for (int i = 0; i < count; i++) {
            int code = i == 0 ? 0 : Math.min(255 + i, 1022);
            buffer = buffer << 10 | code;
            bits += 10;
            while (bits >= 8) {
                out.write((int) (buffer >>> (bits - 8)) & 0xff);
                bits -= 8;
            }
        }
        if (bits > 0) {
            out.write((int) ((buffer << (8 - bits)) | ((1 << (8 - bits)) - 1)) & 0xff);
        }
        out.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, 0, 4);
        return out.toByteArray();
    }

    private static void writeIntLe(ByteArrayOutputStream out, int value) {
        out.write(value & 0xff);
        out.write(value >>> 8 & 0xff);
        out.write(value >>> 16 & 0xff);
        out.write(value >>> 24 & 0xff);
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }
}
