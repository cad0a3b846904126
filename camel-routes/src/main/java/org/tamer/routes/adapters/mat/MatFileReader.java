package org.tamer.routes.adapters.mat;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * Reads the real numeric matrices of a MATLAB MAT-file, level 4 (as written by PhysioNet's {@code wfdb2mat} for the
 * Challenge 2020/2021 data) or level 5 (MATLAB's {@code save}, with or without compression). Variables of other
 * classes (structures, cells, text, sparse) are skipped; complex matrices are refused.
 */
public final class MatFileReader {

    private static final int LEVEL5_HEADER = 128;
    private static final int MI_INT8 = 1;
    private static final int MI_UINT8 = 2;
    private static final int MI_INT16 = 3;
    private static final int MI_UINT16 = 4;
    private static final int MI_INT32 = 5;
    private static final int MI_UINT32 = 6;
    private static final int MI_SINGLE = 7;
    private static final int MI_DOUBLE = 9;
    private static final int MI_INT64 = 12;
    private static final int MI_UINT64 = 13;
    private static final int MI_MATRIX = 14;
    private static final int MI_COMPRESSED = 15;
    private static final int COMPLEX_FLAG = 0x0800;

    /**
     * @param data   the whole file
     * @param source its name, for error messages
     * @return the numeric matrices by variable name, in file order
     */
    public Map<String, MatMatrix> read(byte[] data, String source) {
        try {
            return isLevel5(data) ? readLevel5(data, source) : readLevel4(data, source);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new EcgFormatException(source, "MAT-file", "file ends inside a variable: truncated or corrupt", e);
        }
    }

    private static boolean isLevel5(byte[] data) {
        return data.length >= LEVEL5_HEADER
                && new String(data, 0, 10, StandardCharsets.US_ASCII).equals("MATLAB 5.0")
                && ((data[126] == 'I' && data[127] == 'M') || (data[126] == 'M' && data[127] == 'I'));
    }

    private Map<String, MatMatrix> readLevel4(byte[] data, String source) {
        Map<String, MatMatrix> matrices = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        while (in.remaining() > 0) {
            int start = in.position();
            int type = in.getInt(start);
            if (type < 0 || type > 4052) {
                in.order(ByteOrder.BIG_ENDIAN);
                type = in.getInt(start);
            }
            int machine = type / 1000;
            int precision = (type / 10) % 10;
            int matrixType = type % 10;
            if (type < 0 || type > 4052 || (type / 100) % 10 != 0) {
                throw new EcgFormatException(source, "MAT-file level 4 header at byte " + start,
                        "type " + type + " is not a level-4 matrix header");
            }
            ByteOrder order = machine == 1 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            if (machine > 1) {
                throw new EcgFormatException(source, "MAT-file level 4 header at byte " + start,
                        "VAX/Cray number formats are not supported");
            }
            in.order(order);
            in.position(start + 4);
            int rows = in.getInt();
            int columns = in.getInt();
            int imaginary = in.getInt();
            int nameLength = in.getInt();
            if (rows < 0 || columns < 0 || nameLength < 1) {
                throw new EcgFormatException(source, "MAT-file level 4 header at byte " + start,
                        "impossible dimensions " + rows + " x " + columns + " or name length " + nameLength);
            }
            byte[] nameBytes = new byte[nameLength];
            in.get(nameBytes);
            String name = cString(nameBytes);
            if (matrixType != 0) {
                throw new EcgFormatException(source, "variable '" + name + "'", "level-4 matrix type "
                        + matrixType + " is not a full numeric matrix");
            }
            if (imaginary != 0) {
                throw new EcgFormatException(source, "variable '" + name + "'", "complex matrices are not ECG data");
            }
            int count = Math.multiplyExact(rows, columns);
            int level5Type = switch (precision) {
                case 0 -> MI_DOUBLE;
                case 1 -> MI_SINGLE;
                case 2 -> MI_INT32;
                case 3 -> MI_INT16;
                case 4 -> MI_UINT16;
                case 5 -> MI_UINT8;
                default -> throw new EcgFormatException(source, "variable '" + name + "'",
                        "unknown level-4 precision " + precision);
            };
            double[] values = readNumbers(in, level5Type, count, source, name);
            matrices.put(name, new MatMatrix(name, rows, columns, values));
        }
        return matrices;
    }

    private Map<String, MatMatrix> readLevel5(byte[] data, String source) {
        ByteOrder order = data[126] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer in = ByteBuffer.wrap(data).order(order);
        in.position(LEVEL5_HEADER);
        Map<String, MatMatrix> matrices = new LinkedHashMap<>();
        readElements(in, matrices, source);
        return matrices;
    }

    private void readElements(ByteBuffer in, Map<String, MatMatrix> matrices, String source) {
        while (in.remaining() >= 8) {
            int type = in.getInt();
            int size = in.getInt();
            if (size < 0 || size > in.remaining()) {
                throw new EcgFormatException(source, "MAT-file element at byte " + (in.position() - 8),
                        "declares " + size + " bytes but " + in.remaining() + " remain");
            }
            int end = in.position() + size;
            if (type == MI_COMPRESSED) {
                byte[] compressed = new byte[size];
                in.get(compressed);
                ByteBuffer inner = ByteBuffer.wrap(inflate(compressed, source)).order(in.order());
                readElements(inner, matrices, source);
            } else if (type == MI_MATRIX) {
                ByteBuffer matrix = in.slice().order(in.order());
                matrix.limit(size);
                readMatrix(matrix, source).ifPresent(m -> matrices.put(m.name(), m));
                in.position(end);
            } else {
                in.position(end);
            }
            if (type != MI_COMPRESSED) {
                in.position(Math.min(in.limit(), align8(in.position())));
            }
        }
    }

    private Optional<MatMatrix> readMatrix(ByteBuffer in, String source) {
        SubElement flags = subElement(in, source, "array flags");
        int arrayClass = flags.data.getInt(0) & 0xff;
        boolean complex = (flags.data.getInt(0) & COMPLEX_FLAG) != 0;
        SubElement dimensions = subElement(in, source, "dimensions");
        int dimensionCount = dimensions.size / 4;
        int[] dims = new int[dimensionCount];
        for (int i = 0; i < dimensionCount; i++) {
            dims[i] = dimensions.data.getInt(i * 4);
        }
        SubElement nameElement = subElement(in, source, "array name");
        byte[] nameBytes = new byte[nameElement.size];
        nameElement.data.get(0, nameBytes);
        String name = new String(nameBytes, StandardCharsets.US_ASCII);
        boolean numeric = arrayClass >= 6 && arrayClass <= 15;
        if (!numeric) {
            return Optional.empty();
        }
        if (complex) {
            throw new EcgFormatException(source, "variable '" + name + "'", "complex matrices are not ECG data");
        }
        if (dimensionCount != 2) {
            throw new EcgFormatException(source, "variable '" + name + "'", dimensionCount
                    + "-dimensional arrays are not supported; expected a leads x samples matrix");
        }
        SubElement real = subElement(in, source, "real part of '" + name + "'");
        int count = Math.multiplyExact(dims[0], dims[1]);
        double[] values = readNumbers(real.data, real.type, count, source, name);
        return Optional.of(new MatMatrix(name, dims[0], dims[1], values));
    }

    private record SubElement(int type, int size, ByteBuffer data) {
    }

    private static SubElement subElement(ByteBuffer in, String source, String what) {
        if (in.remaining() < 8) {
            throw new EcgFormatException(source, what, "missing from a matrix element");
        }
        int tag = in.getInt();
        int type;
        int size;
        ByteBuffer data;
        if ((tag >>> 16) != 0) {
            type = tag & 0xffff;
            size = tag >>> 16;
            data = in.slice().order(in.order());
            data.limit(4);
            in.position(in.position() + 4);
        } else {
            type = tag;
            size = in.getInt();
            if (size < 0 || size > in.remaining()) {
                throw new EcgFormatException(source, what, "declares " + size + " bytes but " + in.remaining()
                        + " remain");
            }
            data = in.slice().order(in.order());
            data.limit(size);
            in.position(Math.min(in.limit(), in.position() + align8(size)));
        }
        return new SubElement(type, size, data);
    }

    private static double[] readNumbers(ByteBuffer in, int type, int count, String source, String name) {
        double[] values = new double[count];
        int width = switch (type) {
            case MI_INT8, MI_UINT8 -> 1;
            case MI_INT16, MI_UINT16 -> 2;
            case MI_INT32, MI_UINT32, MI_SINGLE -> 4;
            case MI_DOUBLE, MI_INT64, MI_UINT64 -> 8;
            default -> throw new EcgFormatException(source, "variable '" + name + "'", "data type " + type
                    + " is not numeric");
        };
        if ((long) count * width > in.remaining()) {
            throw new EcgFormatException(source, "variable '" + name + "'", count + " values of " + width
                    + " bytes declared but only " + in.remaining() + " bytes present: truncated");
        }
        for (int i = 0; i < count; i++) {
            values[i] = switch (type) {
                case MI_INT8 -> in.get();
                case MI_UINT8 -> in.get() & 0xff;
                case MI_INT16 -> in.getShort();
                case MI_UINT16 -> in.getShort() & 0xffff;
                case MI_INT32 -> in.getInt();
                case MI_UINT32 -> in.getInt() & 0xffffffffL;
                case MI_SINGLE -> in.getFloat();
                case MI_INT64 -> in.getLong();
                case MI_UINT64 -> {
                    long v = in.getLong();
                    yield v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
                }
                default -> in.getDouble();
            };
        }
        return values;
    }

    private static byte[] inflate(byte[] compressed, String source) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 4);
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new EcgFormatException(source, "compressed variable", "zlib stream ends early");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new EcgFormatException(source, "compressed variable", "corrupt zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private static int align8(int position) {
        return (position + 7) & ~7;
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
