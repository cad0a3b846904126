package org.tamer.training.dataset;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary layouts of a dataset shard (big-endian, as Java's data streams write). Both begin with an eight-byte
 * magic naming the version, then the example count; per example: pseudonym, patient pseudonym, split ordinal,
 * report (UTF), label count and labels (UTF), then the arrays.
 * <ul>
 *   <li>{@code TAMERDS1} ({@link ShardEncoding#FLOAT32}): the waveform, the [CLS] attention, the global feature and
 *       the token features as float32 arrays, each preceded by its length.</li>
 *   <li>{@code TAMERDS2} ({@link ShardEncoding#INT16}): the waveform as rows (leads) of int16 samples, each row
 *       with its float32 scale ({@code value = sample × scale}, scale = the row's largest magnitude / 32767); the
 *       [CLS] attention and the global feature as float32 arrays (small); the token features as rows (tokens) of
 *       int16 with a float32 scale per token. About half the bytes of version 1 for a 12 × 5000 waveform.</li>
 * </ul>
 * A reader takes both; any other magic is refused with the version it names.
 */
final class ShardFormat {

    static final long MAGIC_PREFIX = 0x5441_4d45_5244_5300L; // "TAMERDS" and a version byte
    static final long MAGIC_V1 = MAGIC_PREFIX | '1';
    static final long MAGIC_V2 = MAGIC_PREFIX | '2';
    private static final int MAX_ARRAY = 50_000_000;
    private static final int LEADS = 12;

    private ShardFormat() {
    }

    static void write(DataOutputStream out, List<DatasetExample> examples, ShardEncoding encoding) throws IOException {
        out.writeLong(encoding == ShardEncoding.INT16 ? MAGIC_V2 : MAGIC_V1);
        out.writeInt(examples.size());
        for (DatasetExample e : examples) {
            out.writeUTF(e.pseudonym());
            out.writeUTF(e.patient());
            out.writeByte(e.split().ordinal());
            out.writeUTF(e.report());
            out.writeInt(e.labels().size());
            for (String label : e.labels()) {
                out.writeUTF(label);
            }
            if (encoding == ShardEncoding.INT16) {
                int leads = e.waveform().length % LEADS == 0 ? LEADS : 1;
                scaledRows(out, e.waveform(), leads);
                floats(out, e.clsAttention());
                floats(out, e.global());
                scaledRows(out, e.tokenFeatures(), e.tokenCount());
            } else {
                floats(out, e.waveform());
                floats(out, e.clsAttention());
                floats(out, e.global());
                floats(out, e.tokenFeatures());
            }
        }
    }

    /** Reads a whole shard held in memory; {@code source} names it in errors. */
    static List<DatasetExample> read(byte[] shard, String source) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(shard));
        try {
            long magic = in.readLong();
            boolean compact;
            if (magic == MAGIC_V1) {
                compact = false;
            } else if (magic == MAGIC_V2) {
                compact = true;
            } else if ((magic & ~0xffL) == MAGIC_PREFIX) {
                throw new IOException(source + ": shard format version '" + (char) (magic & 0xff) + "' (TAMERDS"
                        + (char) (magic & 0xff) + ") is not one this version reads (TAMERDS1 float32, TAMERDS2 int16);"
                        + " rebuild the dataset with this version's build-dataset or read it with a newer one");
            } else {
                throw new IOException(source + ": not a TAMER dataset shard (bad magic)");
            }
            int count = in.readInt();
            if (count < 0 || count > MAX_ARRAY) {
                throw new IOException(source + ": implausible example count " + count + ": corrupt shard");
            }
            List<DatasetExample> examples = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String pseudonym = in.readUTF();
                String patient = in.readUTF();
                int ordinal = in.readByte();
                if (ordinal < 0 || ordinal >= Split.values().length) {
                    throw new IOException(source + ", example " + i + ": split ordinal " + ordinal
                            + " out of range: corrupt shard");
                }
                Split split = Split.values()[ordinal];
                String report = in.readUTF();
                int labels = in.readInt();
                if (labels < 0 || labels > 10_000) {
                    throw new IOException(source + ", example " + i + ": implausible label count " + labels
                            + ": corrupt shard");
                }
                List<String> codes = new ArrayList<>(labels);
                for (int l = 0; l < labels; l++) {
                    codes.add(in.readUTF());
                }
                float[] waveform = compact ? scaledRows(in, source) : floats(in, source);
                float[] cls = floats(in, source);
                float[] global = floats(in, source);
                float[] tokens = compact ? scaledRows(in, source) : floats(in, source);
                try {
                    examples.add(new DatasetExample(pseudonym, patient, split, report, codes, waveform, tokens, cls,
                            global));
                } catch (IllegalArgumentException e) {
                    throw new IOException(source + ", example " + i + ": " + e.getMessage() + ": corrupt shard", e);
                }
            }
            if (in.available() > 0) {
                throw new IOException(source + ": " + in.available() + " bytes after the last of " + count
                        + " examples: corrupt shard");
            }
            return examples;
        } catch (EOFException e) {
            throw new IOException(source + ": the shard ends early (truncated)", e);
        }
    }

    /** The version a shard's first eight bytes name, for the manifest ({@code TAMERDS1}, {@code TAMERDS2}). */
    static String versionOf(ShardEncoding encoding) {
        return encoding == ShardEncoding.INT16 ? "TAMERDS2" : "TAMERDS1";
    }

    private static void floats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
        buffer.asFloatBuffer().put(values);
        out.write(buffer.array());
    }

    private static float[] floats(DataInputStream in, String source) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_ARRAY) {
            throw new IOException(source + ": implausible array length " + n + ": corrupt shard");
        }
        byte[] bytes = new byte[n * Float.BYTES];
        in.readFully(bytes);
        float[] values = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** Rows of int16 with a float32 scale each: row count, row length, then per row its scale and samples. */
    private static void scaledRows(DataOutputStream out, float[] values, int rows) throws IOException {
        int length = rows == 0 ? 0 : values.length / rows;
        out.writeInt(rows);
        out.writeInt(length);
        ByteBuffer buffer = ByteBuffer.allocate(rows * (Float.BYTES + length * Short.BYTES))
                .order(ByteOrder.BIG_ENDIAN);
        for (int r = 0; r < rows; r++) {
            float largest = 0;
            for (int i = r * length; i < (r + 1) * length; i++) {
                if (!Float.isFinite(values[i])) {
                    throw new IllegalArgumentException("value " + values[i] + " at " + i + " cannot be stored");
                }
                largest = Math.max(largest, Math.abs(values[i]));
            }
            float scale = largest / Short.MAX_VALUE;
            buffer.putFloat(scale);
            for (int i = r * length; i < (r + 1) * length; i++) {
                buffer.putShort(scale == 0 ? 0 : (short) Math.max(-Short.MAX_VALUE,
                        Math.min(Short.MAX_VALUE, Math.round(values[i] / scale))));
            }
        }
        out.write(buffer.array());
    }

    private static float[] scaledRows(DataInputStream in, String source) throws IOException {
        int rows = in.readInt();
        int length = in.readInt();
        if (rows < 0 || length < 0 || (long) rows * length > MAX_ARRAY) {
            throw new IOException(source + ": implausible array of " + rows + " x " + length + ": corrupt shard");
        }
        byte[] bytes = new byte[rows * (Float.BYTES + length * Short.BYTES)];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        float[] values = new float[rows * length];
        for (int r = 0; r < rows; r++) {
            float scale = buffer.getFloat();
            if (!Float.isFinite(scale) || scale < 0) {
                throw new IOException(source + ": row scale " + scale + ": corrupt shard");
            }
            for (int i = r * length; i < (r + 1) * length; i++) {
                values[i] = buffer.getShort() * scale;
            }
        }
        return values;
    }
}
