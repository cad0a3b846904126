package org.tamer.routes.adapters.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/**
 * The real DICOM ECG (explicit VR little endian) with hostile elements appended to its data set: deep sequence
 * nesting (observed: the parser recursed without limit, HTTP 500), element lengths beyond the bytes present, and
 * sample counts beyond the limits. Each is refused with a format error naming the element and the limit.
 */
class DicomLimitsTest {

    private static final byte[] CONTENT_SEQUENCE = {0x40, 0x00, 0x30, (byte) 0xA7}; // (0040,A730)

    @Test
    void deepSequenceNestingIsRefusedByTheNestingLimit() throws Exception {
        byte[] hostile = withAppended(nestedSequences(50_000));
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> new DicomWaveformReader().read(hostile, "nested.dcm"));
        assertEquals("(0040,A730)", e.field());
        assertTrue(e.reason().contains("sequences nested 33 deep") && e.reason().contains(
                "tamer.decoder.max-nesting-depth"), e.reason());
    }

    @Test
    void nestingWithinTheLimitIsRead() throws Exception {
        EcgRecord record = new DicomWaveformReader().read(withAppended(nestedSequences(8)), "nested.dcm");
        assertEquals(12, record.signal().leadCount());
    }

    @Test
    void anElementLongerThanTheFileIsRefusedBeforeItIsCopied() throws Exception {
        ByteArrayOutputStream element = new ByteArrayOutputStream();
        element.write(new byte[] {0x40, 0x00, 0x60, (byte) 0xA1, 'U', 'T', 0, 0}); // (0040,A160) UT TextValue
        element.write(new byte[] {(byte) 0xF0, (byte) 0xFF, (byte) 0xFF, 0x7F}); // 2 GiB - 16
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> new DicomWaveformReader().read(withAppended(element.toByteArray()), "long.dcm"));
        assertEquals("(0040,A160)", e.field());
        assertTrue(e.reason().contains("truncated"), e.reason());
    }

    @Test
    void aDefinedLengthSequenceLongerThanTheFileIsRefused() throws Exception {
        ByteArrayOutputStream element = new ByteArrayOutputStream();
        element.write(CONTENT_SEQUENCE);
        element.write(new byte[] {'S', 'Q', 0, 0, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> new DicomWaveformReader().read(withAppended(element.toByteArray()), "long.dcm"));
        assertEquals("(0040,A730)", e.field());
        assertTrue(e.reason().contains("truncated"), e.reason());
    }

    /** {@code depth} content sequences, each of undefined length holding one item of undefined length. */
    static byte[] nestedSequences(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) {
            out.writeBytes(CONTENT_SEQUENCE);
            out.writeBytes(new byte[] {'S', 'Q', 0, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
            out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x00, (byte) 0xE0, (byte) 0xFF, (byte) 0xFF,
                    (byte) 0xFF, (byte) 0xFF}); // item, undefined length
        }
        for (int i = 0; i < depth; i++) {
            out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, 0x0D, (byte) 0xE0, 0, 0, 0, 0}); // item end
            out.writeBytes(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xDD, (byte) 0xE0, 0, 0, 0, 0}); // seq end
        }
        return out.toByteArray();
    }

    /** The real file with {@code elements} after its last data element. */
    static byte[] withAppended(byte[] elements) throws Exception {
        byte[] real = Files.readAllBytes(SharedData.file("formats/dicom-waveform_ecg.dcm"));
        byte[] out = new byte[real.length + elements.length];
        System.arraycopy(real, 0, out, 0, real.length);
        System.arraycopy(elements, 0, out, real.length, elements.length);
        return out;
    }
}
