package org.tamer.training.dataset;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary layout of a dataset shard (big-endian, as Java's data streams write): the magic {@code TAMERDS1}, the
 * example count, then per example: pseudonym, patient pseudonym, split ordinal, report (UTF), label count and
 * labels (UTF), then the waveform, the [CLS] attention, the global feature and the token features as float32
 * arrays, each preceded by its length.
 */
final class ShardFormat {

    static final long MAGIC = 0x54414d4552445331L; // "TAMERDS1"

    private ShardFormat() {
    }

    static void write(DataOutputStream out, List<DatasetExample> examples) throws IOException {
        out.writeLong(MAGIC);
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
            floats(out, e.waveform());
            floats(out, e.clsAttention());
            floats(out, e.global());
            floats(out, e.tokenFeatures());
        }
    }

    static List<DatasetExample> read(DataInputStream in, String source) throws IOException {
        try {
            if (in.readLong() != MAGIC) {
                throw new IOException(source + ": not a TAMER dataset shard (bad magic)");
            }
            int count = in.readInt();
            List<DatasetExample> examples = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                String pseudonym = in.readUTF();
                String patient = in.readUTF();
                Split split = Split.values()[in.readByte()];
                String report = in.readUTF();
                int labels = in.readInt();
                List<String> codes = new ArrayList<>(labels);
                for (int l = 0; l < labels; l++) {
                    codes.add(in.readUTF());
                }
                float[] waveform = floats(in);
                float[] cls = floats(in);
                float[] global = floats(in);
                float[] tokens = floats(in);
                examples.add(new DatasetExample(pseudonym, patient, split, report, codes, waveform, tokens, cls,
                        global));
            }
            return examples;
        } catch (EOFException e) {
            throw new IOException(source + ": the shard ends early (truncated)", e);
        }
    }

    private static void floats(DataOutputStream out, float[] values) throws IOException {
        out.writeInt(values.length);
        for (float v : values) {
            out.writeFloat(v);
        }
    }

    private static float[] floats(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 50_000_000) {
            throw new IOException("implausible array length " + n + ": corrupt shard");
        }
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = in.readFloat();
        }
        return values;
    }
}
