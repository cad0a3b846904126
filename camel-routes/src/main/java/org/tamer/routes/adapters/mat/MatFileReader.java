package org.tamer.routes.adapters.mat;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.tamer.routes.adapters.EcgFormatException;

/**
 * Reads the variables of a MATLAB MAT-file, level 4 (as written by PhysioNet's {@code wfdb2mat} for the Challenge
 * 2020/2021 data) or level 5 (MATLAB's {@code save}, with or without compression, either byte order): real numeric
 * matrices, one-row character arrays and 1 × 1 structures of these (CPSC2018's {@code ECG} struct). Cells,
 * objects, sparse matrices and structure arrays are skipped; complex matrices are refused.
 *
 * <p>Every size a file declares is checked against the bytes present and the {@link MatLimits} before anything is
 * allocated; compressed elements inflate to at most {@link MatLimits#maxInflatedBytes()} together.
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
    private static final int MI_UTF8 = 16;
    private static final int MI_UTF16 = 17;
    private static final int MX_STRUCT = 2;
    private static final int MX_CHAR = 4;
    private static final int COMPLEX_FLAG = 0x0800;

    private final MatLimits limits;

    /** A reader with the default limits. */
    public MatFileReader() {
        this(MatLimits.defaults());
    }

    public MatFileReader(MatLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Whether the bytes start like a level-5 MAT-file ({@code MATLAB 5.0} text and the endian indicator). */
    public static boolean isLevel5(byte[] data) {
        return data.length >= LEVEL5_HEADER
                && new String(data, 0, 10, StandardCharsets.US_ASCII).equals("MATLAB 5.0")
                && ((data[126] == 'I' && data[127] == 'M') || (data[126] == 'M' && data[127] == 'I'));
    }

    /**
     * The top-level real numeric matrices.
     *
     * @param data   the whole file
     * @param source its name, for error messages
     * @return the numeric matrices by variable name, in file order
     */
    public Map<String, MatMatrix> read(byte[] data, String source) {
        Map<String, MatMatrix> matrices = new LinkedHashMap<>();
        readVariables(data, source).forEach((name, value) -> {
            if (value instanceof MatMatrix matrix) {
                matrices.put(name, matrix);
            }
        });
        return matrices;
    }

    /**
     * Every top-level variable the reader understands: matrices, text and 1 × 1 structures.
     *
     * @param data   the whole file
     * @param source its name, for error messages
     */
    public Map<String, MatValue> readVariables(byte[] data, String source) {
        Reading reading = new Reading(source);
        try {
            return isLevel5(data) ? readLevel5(data, reading) : readLevel4(data, reading);
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            throw new EcgFormatException(source, "MAT-file", "file ends inside a variable: truncated or corrupt", e);
        }
    }

    /** The state of one file's reading: the inflation budget left. */
    private final class Reading {
        private final String source;
        private long inflated;

        Reading(String source) {
            this.source = source;
        }

        long inflationLeft() {
            return limits.maxInflatedBytes() - inflated;
        }
    }

    private Map<String, MatValue> readLevel4(byte[] data, Reading reading) {
        String source = reading.source;
        Map<String, MatValue> matrices = new LinkedHashMap<>();
        ByteBuffer in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        while (in.remaining() > 0) {
            int start = in.position();
            if (in.remaining() < 20) {
                throw new EcgFormatException(source, "MAT-file level 4 header at byte " + start,
                        "only " + in.remaining() + " bytes remain of a 20-byte header: truncated");
            }
            in.order(ByteOrder.LITTLE_ENDIAN);
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
            if (rows < 0 || columns < 0 || nameLength < 1 || nameLength > in.remaining()) {
                throw new EcgFormatException(source, "MAT-file level 4 header at byte " + start,
                        "impossible dimensions " + rows + " x " + columns + " or name length " + nameLength
                                + " (" + in.remaining() + " bytes remain)");
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
            double[] values = readNumbers(in, level5Type, new int[] {rows, columns}, source, name);
            matrices.put(name, new MatMatrix(name, rows, columns, values));
        }
        return matrices;
    }

    private Map<String, MatValue> readLevel5(byte[] data, Reading reading) {
        ByteOrder order = data[126] == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        ByteBuffer in = ByteBuffer.wrap(data).order(order);
        in.position(LEVEL5_HEADER);
        Map<String, MatValue> variables = new LinkedHashMap<>();
        readElements(in, variables, reading, 0);
        return variables;
    }

    private void readElements(ByteBuffer in, Map<String, MatValue> variables, Reading reading, int depth) {
        String source = reading.source;
        while (in.remaining() >= 8) {
            int type = in.getInt();
            int size = in.getInt();
            if (size < 0 || size > in.remaining()) {
                throw new EcgFormatException(source, "MAT-file element at byte " + (in.position() - 8),
                        "declares " + size + " bytes but " + in.remaining() + " remain");
            }
            int end = in.position() + size;
            if (type == MI_COMPRESSED) {
                checkDepth(depth + 1, source, "compressed element");
                ByteBuffer compressed = in.slice().order(in.order());
                compressed.limit(size);
                in.position(end);
                ByteBuffer inner = ByteBuffer.wrap(inflate(compressed, reading)).order(in.order());
                readElements(inner, variables, reading, depth + 1);
            } else if (type == MI_MATRIX) {
                ByteBuffer matrix = in.slice().order(in.order());
                matrix.limit(size);
                readMatrix(matrix, reading, depth).ifPresent(m -> variables.put(m.name(), m));
                in.position(Math.min(in.limit(), align8(end)));
            } else {
                in.position(Math.min(in.limit(), align8(end)));
            }
        }
    }

    private Optional<MatValue> readMatrix(ByteBuffer in, Reading reading, int depth) {
        String source = reading.source;
        if (!in.hasRemaining()) {
            return Optional.empty(); // an empty field value ([]) is written as a zero-length matrix element
        }
        SubElement flags = subElement(in, source, "array flags");
        if (flags.size < 4) {
            throw new EcgFormatException(source, "array flags", "hold " + flags.size + " bytes, need 4");
        }
        int arrayClass = flags.data.getInt(0) & 0xff;
        boolean complex = (flags.data.getInt(0) & COMPLEX_FLAG) != 0;
        SubElement dimensions = subElement(in, source, "dimensions");
        int dimensionCount = dimensions.size / 4;
        int[] dims = new int[dimensionCount];
        for (int i = 0; i < dimensionCount; i++) {
            dims[i] = dimensions.data.getInt(i * 4);
            if (dims[i] < 0) {
                throw new EcgFormatException(source, "dimensions", "negative dimension " + dims[i]);
            }
        }
        SubElement nameElement = subElement(in, source, "array name");
        byte[] nameBytes = new byte[nameElement.size];
        nameElement.data.get(0, nameBytes);
        String name = new String(nameBytes, StandardCharsets.US_ASCII);
        if (arrayClass == MX_STRUCT) {
            return readStruct(in, name, dims, reading, depth + 1);
        }
        if (arrayClass == MX_CHAR) {
            return Optional.of(readText(in, name, dims, source));
        }
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
        double[] values = readNumbers(real.data, real.type, dims, source, name);
        return Optional.of(new MatMatrix(name, dims[0], dims[1], values));
    }

    private Optional<MatValue> readStruct(ByteBuffer in, String name, int[] dims, Reading reading, int depth) {
        String source = reading.source;
        checkDepth(depth, source, "structure '" + name + "'");
        long elements = 1;
        for (int d : dims) {
            elements *= d;
        }
        if (elements != 1) {
            return Optional.empty(); // structure arrays are not used by ECG archives
        }
        SubElement lengthElement = subElement(in, source, "field name length of '" + name + "'");
        int fieldNameLength = lengthElement.data.getInt(0);
        SubElement namesElement = subElement(in, source, "field names of '" + name + "'");
        if (fieldNameLength < 1 || fieldNameLength > 4096) {
            throw new EcgFormatException(source, "structure '" + name + "'", "field name length "
                    + fieldNameLength + " is not between 1 and 4096");
        }
        int fieldCount = namesElement.size / fieldNameLength;
        Map<String, MatValue> fields = new LinkedHashMap<>();
        for (int f = 0; f < fieldCount; f++) {
            byte[] fieldName = new byte[fieldNameLength];
            namesElement.data.get(f * fieldNameLength, fieldName);
            String field = cString(fieldName);
            if (in.remaining() < 8) {
                throw new EcgFormatException(source, "structure '" + name + "' field '" + field + "'",
                        "missing: the structure ends after " + f + " of " + fieldCount + " fields");
            }
            int type = in.getInt();
            int size = in.getInt();
            if (type != MI_MATRIX || size < 0 || size > in.remaining()) {
                throw new EcgFormatException(source, "structure '" + name + "' field '" + field + "'",
                        "expected a matrix element, found type " + type + " of " + size + " bytes with "
                                + in.remaining() + " remaining");
            }
            ByteBuffer value = in.slice().order(in.order());
            value.limit(size);
            in.position(Math.min(in.limit(), align8(in.position() + size)));
            readMatrix(value, reading, depth).ifPresent(v -> fields.put(field, rename(v, field)));
        }
        return Optional.of(new MatStruct(name, fields));
    }

    private static MatValue rename(MatValue value, String name) {
        if (value instanceof MatMatrix m) {
            return m.renamed(name);
        }
        if (value instanceof MatText t) {
            return new MatText(name, t.text());
        }
        return new MatStruct(name, ((MatStruct) value).fields());
    }

    private MatText readText(ByteBuffer in, String name, int[] dims, String source) {
        SubElement characters = subElement(in, source, "characters of '" + name + "'");
        long count = 1;
        for (int d : dims) {
            count *= d;
        }
        if (dims.length != 2 || (dims[0] > 1 && dims[1] > 1)) {
            throw new EcgFormatException(source, "variable '" + name + "'", "only one-row character arrays are "
                    + "read, not " + java.util.Arrays.toString(dims));
        }
        byte[] bytes = new byte[characters.size];
        characters.data.get(0, bytes);
        String text = switch (characters.type) {
            case MI_UTF8, MI_UINT8, MI_INT8 -> new String(bytes, StandardCharsets.UTF_8);
            case MI_UINT16, MI_UTF16 -> new String(bytes, characters.data.order() == ByteOrder.LITTLE_ENDIAN
                    ? StandardCharsets.UTF_16LE : StandardCharsets.UTF_16BE);
            default -> throw new EcgFormatException(source, "variable '" + name + "'", "character data of type "
                    + characters.type + " is not text");
        };
        if (characters.type != MI_UTF8 && text.length() != count) {
            throw new EcgFormatException(source, "variable '" + name + "'", "declares " + count
                    + " characters but holds " + text.length());
        }
        return new MatText(name, text);
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
            if (size > 4) {
                throw new EcgFormatException(source, what, "a small data element declares " + size + " bytes (at "
                        + "most 4)");
            }
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

    private double[] readNumbers(ByteBuffer in, int type, int[] dims, String source, String name) {
        int width = switch (type) {
            case MI_INT8, MI_UINT8 -> 1;
            case MI_INT16, MI_UINT16 -> 2;
            case MI_INT32, MI_UINT32, MI_SINGLE -> 4;
            case MI_DOUBLE, MI_INT64, MI_UINT64 -> 8;
            default -> throw new EcgFormatException(source, "variable '" + name + "'", "data type " + type
                    + " is not numeric");
        };
        long count = (long) dims[0] * dims[1];
        if (count > limits.maxValues()) {
            throw new EcgFormatException(source, "variable '" + name + "'", dims[0] + " x " + dims[1]
                    + " values is over the limit of " + limits.maxValues() + " (" + MatLimits.MAX_VALUES + ")");
        }
        if (count * width > in.remaining()) {
            throw new EcgFormatException(source, "variable '" + name + "'", count + " values of " + width
                    + " bytes declared but only " + in.remaining() + " bytes present: truncated");
        }
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
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

    private byte[] inflate(ByteBuffer compressed, Reading reading) {
        String source = reading.source;
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            long budget = reading.inflationLeft();
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(budget,
                    Math.min(1L << 20, 4L * compressed.remaining() + 64)));
            byte[] buffer = new byte[64 * 1024];
            while (!inflater.finished()) {
                int n = inflater.inflate(buffer);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new EcgFormatException(source, "compressed variable", "zlib stream ends early");
                }
                if (out.size() + (long) n > budget) {
                    throw new EcgFormatException(source, "compressed variable", "inflates to more than "
                            + limits.maxInflatedBytes() + " bytes, the limit (" + MatLimits.MAX_INFLATED_BYTES + ")");
                }
                out.write(buffer, 0, n);
            }
            reading.inflated += out.size();
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new EcgFormatException(source, "compressed variable", "corrupt zlib stream: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private void checkDepth(int depth, String source, String what) {
        if (depth > limits.maxDepth()) {
            throw new EcgFormatException(source, what, "nested " + depth + " deep, over the limit of "
                    + limits.maxDepth() + " (" + MatLimits.MAX_DEPTH + ")");
        }
    }

    private static int align8(long position) {
        return (int) Math.min(Integer.MAX_VALUE, (position + 7) & ~7L);
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.US_ASCII);
    }
}
