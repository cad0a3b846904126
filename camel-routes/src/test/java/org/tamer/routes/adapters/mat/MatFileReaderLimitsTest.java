package org.tamer.routes.adapters.mat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * MAT headers declaring more than the file holds are refused before anything is allocated for them, and inflation
 * stops at its limit (issue 20). Each input is a few dozen bytes that once asked for gigabytes.
 */
class MatFileReaderLimitsTest {

    private final MatFileReader reader = new MatFileReader();

    @Test
    void aLevel4HeaderDeclaringAHugeMatrixIsRefusedBeforeAllocation() {
        // int16 matrix of 46341 x 46341 (over 2^31 values) in a 24-byte file
        byte[] file = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(30).putInt(46_341)
                .putInt(46_341).putInt(0).putInt(4).put("val\0".getBytes()).array();
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> reader.read(file, "huge.mat"));
        assertEquals("46341 x 46341 values is over the limit of 16000000 (tamer.decoder.max-total-samples)",
                e.reason());
        // within the limit of values but not present in the file
        byte[] truncated = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN).putInt(30).putInt(12)
                .putInt(1_000_000).putInt(0).putInt(4).put("val\0".getBytes()).array();
        assertEquals("12000000 values of 2 bytes declared but only 0 bytes present: truncated",
                assertThrows(EcgFormatException.class, () -> reader.read(truncated, "short.mat")).reason());
        // a name longer than the file
        byte[] name = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(30).putInt(1).putInt(1)
                .putInt(0).putInt(Integer.MAX_VALUE).array();
        assertEquals("MAT-file level 4 header at byte 0", assertThrows(EcgFormatException.class,
                () -> reader.read(name, "name.mat")).field());
    }

    @Test
    void aLevel5MatrixDeclaringHugeDimensionsIsRefusedBeforeAllocation() {
        byte[] file = MatFileWriter.level5("val", new short[][] {{1, 2}, {3, 4}}, false, ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        // the dimensions sub-element follows the 8-byte matrix tag and the 16-byte array flags
        b.putInt(128 + 8 + 16 + 8, 40_000).putInt(128 + 8 + 16 + 12, 40_000);
        assertEquals("40000 x 40000 values is over the limit of 16000000 (tamer.decoder.max-total-samples)",
                assertThrows(EcgFormatException.class, () -> reader.read(file, "dims.mat")).reason());
        b.putInt(128 + 8 + 16 + 8, 3_000).putInt(128 + 8 + 16 + 12, 3_000);
        assertEquals("9000000 values of 2 bytes declared but only 8 bytes present: truncated",
                assertThrows(EcgFormatException.class, () -> reader.read(file, "dims.mat")).reason());
    }

    @Test
    void inflationStopsAtTheLimit() {
        // a compressed element whose zlib stream inflates to 64 MiB + 1 of zeros: about 65 KB on disk
        byte[] zeros = new byte[(64 << 20) + 1];
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(zeros);
        deflater.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        while (!deflater.finished()) {
            z.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        byte[] compressed = z.toByteArray();
        byte[] header = Arrays.copyOf(MatFileWriter.level5("x", new short[][] {{1}}, false, ByteOrder.LITTLE_ENDIAN),
                128);
        ByteBuffer file = ByteBuffer.allocate(128 + 8 + compressed.length).order(ByteOrder.LITTLE_ENDIAN);
        file.put(header).putInt(15).putInt(compressed.length).put(compressed);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> reader.read(file.array(), "bomb.mat"));
        assertEquals("compressed variable", e.field());
        assertEquals("inflates to more than 67108864 bytes, the limit (tamer.decoder.max-decompressed-bytes)",
                e.reason());
        MatFileReader tight = new MatFileReader(new MatLimits(1 << 20, 1000, 4));
        assertEquals("inflates to more than 1048576 bytes, the limit (tamer.decoder.max-decompressed-bytes)",
                assertThrows(EcgFormatException.class, () -> tight.read(file.array(), "bomb.mat")).reason());
    }
}
