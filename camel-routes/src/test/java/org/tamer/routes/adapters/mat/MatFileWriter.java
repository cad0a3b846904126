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

    /**
     * Level 5 with the 1 × 1 struct CPSC2018 writes: {@code name.sex} (char), {@code name.age} (double) and
     * {@code name.data} (double, leads × samples), in that field order, optionally inside a compressed element.
     */
    public static byte[] level5Struct(String name, double[][] data, String sex, double age, boolean compressed,
                                      ByteOrder order) {
        byte[] sexField = charMatrix(sex, order);
        byte[] ageField = doubleMatrix(new double[][] {{age}}, order);
        byte[] dataField = doubleMatrix(data, order);
        byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        String[] fields = {"sex", "age", "data"};
        int fieldLength = 32;
        int namesBytes = fields.length * fieldLength;
        int body = 16 + 16 + 8 + pad(nameBytes.length) + 8 + 8 + pad(namesBytes) + sexField.length + ageField.length
                + dataField.length;
        ByteBuffer matrix = ByteBuffer.allocate(8 + body).order(order);
        matrix.putInt(14).putInt(body);
        matrix.putInt(6).putInt(8).putInt(2).putInt(0); // array flags: mxSTRUCT_CLASS
        matrix.putInt(5).putInt(8).putInt(1).putInt(1); // dimensions 1 x 1
        matrix.putInt(1).putInt(nameBytes.length).put(nameBytes);
        matrix.position(matrix.position() + pad(nameBytes.length) - nameBytes.length);
        matrix.putInt((4 << 16) | 5).putInt(fieldLength); // field name length, small data element (miINT32)
        matrix.putInt(1).putInt(namesBytes);
        for (String field : fields) {
            byte[] f = field.getBytes(StandardCharsets.US_ASCII);
            matrix.put(f).put(new byte[fieldLength - f.length]);
        }
        matrix.position(matrix.position() + pad(namesBytes) - namesBytes);
        matrix.put(sexField).put(ageField).put(dataField);
        return file(matrix.array(), compressed, order);
    }

    /** A field's matrix element: mxDOUBLE_CLASS, no name, miDOUBLE data in column-major order. */
    private static byte[] doubleMatrix(double[][] rowsByColumns, ByteOrder order) {
        int rows = rowsByColumns.length;
        int columns = rowsByColumns[0].length;
        int dataBytes = rows * columns * 8;
        int body = 16 + 16 + 8 + 8 + dataBytes;
        ByteBuffer m = ByteBuffer.allocate(8 + body).order(order);
        m.putInt(14).putInt(body);
        m.putInt(6).putInt(8).putInt(6).putInt(0);
        m.putInt(5).putInt(8).putInt(rows).putInt(columns);
        m.putInt(1).putInt(0); // empty name
        m.putInt(9).putInt(dataBytes);
        for (int c = 0; c < columns; c++) {
            for (double[] row : rowsByColumns) {
                m.putDouble(row[c]);
            }
        }
        return m.array();
    }

    /** A field's one-row char matrix: mxCHAR_CLASS, miUINT16 characters, as MATLAB writes them. */
    private static byte[] charMatrix(String text, ByteOrder order) {
        int dataBytes = text.length() * 2;
        int body = 16 + 16 + 8 + 8 + pad(dataBytes);
        ByteBuffer m = ByteBuffer.allocate(8 + body).order(order);
        m.putInt(14).putInt(body);
        m.putInt(6).putInt(8).putInt(4).putInt(0);
        m.putInt(5).putInt(8).putInt(1).putInt(text.length());
        m.putInt(1).putInt(0);
        m.putInt(4).putInt(dataBytes);
        for (char ch : text.toCharArray()) {
            m.putShort((short) ch);
        }
        return m.array();
    }

    private static byte[] file(byte[] element, boolean compressed, ByteOrder order) {
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
        ByteBuffer out = ByteBuffer.allocate(128 + element.length).order(order);
        byte[] text = String.format("%-116s", "MATLAB 5.0 MAT-file, written by the TAMER tests")
                .getBytes(StandardCharsets.US_ASCII);
        out.put(text).put(new byte[8]).putShort((short) 0x0100).putShort((short) (('M' << 8) | 'I'));
        out.put(element);
        return out.array();
    }

    private static int pad(int n) {
        return (n + 7) / 8 * 8;
    }
}
