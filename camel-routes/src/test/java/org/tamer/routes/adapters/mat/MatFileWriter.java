package org.tamer.routes.adapters.mat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;

/**
 * Test-side writer of one int16 matrix as a MAT-file, written from the format descriptions (not with the reader's
 * code), so that the reader is checked against an independent producer.
 */
public final class MatFileWriter {

    private MatFileWriter() {
    }

    /** Level 4, little-endian, int16 ({@code MOPT} = 0030), the layout {@code wfdb2mat} writes. */
    public static byte[] level4(String name, short[][] rowsByColumns) {
        int rows = rowsByColumns.length;
        int columns = rowsByColumns[0].length;
        byte[] nameBytes = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer out = ByteBuffer.allocate(20 + nameBytes.length + rows * columns * 2)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(30).putInt(rows).putInt(columns).putInt(0).putInt(nameBytes.length).put(nameBytes);
        for (int c = 0; c < columns; c++) {
            for (short[] row : rowsByColumns) {
                out.putShort(row[c]);
            }
        }
        return out.array();
    }

    /** Level 5 with an int16 {@code mxINT16_CLASS} matrix, optionally inside a zlib-compressed element. */
    public static byte[] level5(String name, short[][] rowsByColumns, boolean compressed, ByteOrder order) {
        int rows = rowsByColumns.length;
        int columns = rowsByColumns[0].length;
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        int dataBytes = rows * columns * 2;
        int matrixBytes = 16 + 16 + 8 + pad(nameBytes.length) + 8 + pad(dataBytes);
        ByteBuffer matrix = ByteBuffer.allocate(8 + matrixBytes).order(order);
        matrix.putInt(14).putInt(matrixBytes);
        matrix.putInt(6).putInt(8).putInt(10).putInt(0); // array flags: mxINT16_CLASS
        matrix.putInt(5).putInt(8).putInt(rows).putInt(columns); // dimensions
        matrix.putInt(1).putInt(nameBytes.length).put(nameBytes);
        matrix.position(matrix.position() + pad(nameBytes.length) - nameBytes.length);
        matrix.putInt(3).putInt(dataBytes); // miINT16
        for (int c = 0; c < columns; c++) {
            for (short[] row : rowsByColumns) {
                matrix.putShort(row[c]);
            }
        }
        byte[] element = matrix.array();
        if (compressed) {
            Deflater deflater = new Deflater();
            deflater.setInput(element);
            deflater.finish();
            ByteArrayOutputStream z = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!deflater.finished()) {
                z.write(buffer, 0, deflater.deflate(buffer));
            }
            deflater.end();
            byte[] zipped = z.toByteArray();
            element = ByteBuffer.allocate(8 + zipped.length).order(order).putInt(15).putInt(zipped.length)
                    .put(zipped).array();
        }
        ByteBuffer file = ByteBuffer.allocate(128 + element.length).order(order);
        byte[] text = String.format("%-116s", "MATLAB 5.0 MAT-file, written by the TAMER tests")
                .getBytes(StandardCharsets.US_ASCII);
        file.put(text).put(new byte[8]).putShort((short) 0x0100).putShort((short) (('M' << 8) | 'I'));
        file.put(element);
        return file.array();
    }

    private static int pad(int n) {
        return (n + 7) / 8 * 8;
    }
}
