package org.tamer.routes.adapters.challenge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.mat.MatFileWriter;
import org.tamer.routes.adapters.wfdb.WfdbDirectoryArchive;
import org.tamer.routes.adapters.wfdb.WfdbReader;
import org.tamer.routes.adapters.wfdb.WfdbRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.testdata.SharedData;

/**
 * No Challenge or CPSC2018 file ships with the shared data, so real PTB-XL records are written in that layout
 * (header naming a {@code .mat} file, ADC values as {@code val}) and read back; they must equal the originals.
 */
class ChallengeRecordReaderTest {

    private final ChallengeRecordReader reader = new ChallengeRecordReader();

    @Test
    void readsLevel4FilesAsWfdb2matWritesThemBitExactly(@TempDir Path dir) throws IOException {
        assertRoundTrip(dir, "A0001", 5, MatFileWriterKind.LEVEL4);
    }

    @Test
    void readsLevel5FilesPlainAndCompressedInBothByteOrders(@TempDir Path dir) throws IOException {
        assertRoundTrip(dir, "A0002", 21, MatFileWriterKind.LEVEL5);
        assertRoundTrip(dir, "A0003", 77, MatFileWriterKind.LEVEL5_COMPRESSED);
        assertRoundTrip(dir, "A0004", 300, MatFileWriterKind.LEVEL5_BIG_ENDIAN);
    }

    @Test
    void aDirectoryArchiveDispatchesMatAndDatRecords(@TempDir Path dir) throws IOException {
        writeChallengeRecord(dir, "A0005", 8, MatFileWriterKind.LEVEL4);
        Path header = SharedData.ptbXlHeader(9, true);
        Files.copy(header, dir.resolve("00009_hr.hea"));
        Files.copy(header.resolveSibling("00009_hr.dat"), dir.resolve("00009_hr.dat"));
        WfdbDirectoryArchive archive = new WfdbDirectoryArchive(dir);
        assertEquals(List.of("00009_hr", "A0005"), archive.recordKeys());
        WfdbRecord challenge = archive.readWithHeader("A0005");
        assertEquals(List.of("426783006", "164865005"), challenge.comments().diagnosisCodes());
        assertEquals(ChallengeRecordReader.FORMAT, challenge.ecg().source().format());
        assertEquals(WfdbReader.FORMAT, archive.read("00009_hr").source().format());
    }

    @Test
    void namesTheMatFileAndVariableWhenTheMatrixIsWrong(@TempDir Path dir) throws IOException {
        writeChallengeRecord(dir, "A0006", 3, MatFileWriterKind.LEVEL4);
        short[][] wrong = new short[11][5000];
        Files.write(dir.resolve("A0006.mat"), MatFileWriter.level4("val", wrong));
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> reader.read(dir.resolve("A0006.hea")));
        assertEquals("variable 'val'", e.field());
        assertEquals("is 11 x 5000 but the header describes 12 signals", e.reason());

        Files.write(dir.resolve("A0006.mat"), MatFileWriter.level4("ecg", new short[12][5000]));
        Files.write(dir.resolve("A0006.mat"), concat(MatFileWriter.level4("ecg", new short[12][10]),
                MatFileWriter.level4("age", new short[1][1])));
        EcgFormatException notFound = assertThrows(EcgFormatException.class,
                () -> reader.read(dir.resolve("A0006.hea")));
        assertEquals("not found; the file holds [ecg, age]", notFound.reason());

        byte[] full = MatFileWriter.level4("val", new short[12][5000]);
        Files.write(dir.resolve("A0006.mat"), java.util.Arrays.copyOf(full, full.length - 10));
        assertTrue(assertThrows(EcgFormatException.class, () -> reader.read(dir.resolve("A0006.hea"))).reason()
                .contains("truncated"));
    }

    private enum MatFileWriterKind {
        LEVEL4(val -> MatFileWriter.level4("val", val)),
        LEVEL5(val -> MatFileWriter.level5("val", val, false, ByteOrder.LITTLE_ENDIAN)),
        LEVEL5_COMPRESSED(val -> MatFileWriter.level5("val", val, true, ByteOrder.LITTLE_ENDIAN)),
        LEVEL5_BIG_ENDIAN(val -> MatFileWriter.level5("val", val, true, ByteOrder.BIG_ENDIAN));

        private final Function<short[][], byte[]> writer;

        MatFileWriterKind(Function<short[][], byte[]> writer) {
            this.writer = writer;
        }
    }

    private void assertRoundTrip(Path dir, String name, int ptbXlId, MatFileWriterKind kind) throws IOException {
        writeChallengeRecord(dir, name, ptbXlId, kind);
        EcgSignal original = new WfdbReader().read(SharedData.ptbXlHeader(ptbXlId, true)).ecg().signal();
        WfdbRecord read = reader.read(dir.resolve(name + ".hea"));
        assertEquals(original, read.ecg().signal(), kind + " record " + ptbXlId);
        assertEquals(List.of("426783006", "164865005"), read.comments().diagnosisCodes());
        assertEquals(java.util.Optional.of(67), read.comments().age());
    }

    /** Writes PTB-XL record {@code ptbXlId} as {@code name.hea} + {@code name.mat} in the Challenge layout. */
    private static void writeChallengeRecord(Path dir, String name, int ptbXlId, MatFileWriterKind kind)
            throws IOException {
        Path source = SharedData.ptbXlHeader(ptbXlId, true);
        byte[] dat = Files.readAllBytes(source.resolveSibling(source.getFileName().toString().replace(".hea", ".dat")));
        short[][] val = new short[12][dat.length / 24];
        for (int t = 0; t < val[0].length; t++) {
            for (int lead = 0; lead < 12; lead++) {
                int p = (t * 12 + lead) * 2;
                val[lead][t] = (short) ((dat[p] & 0xff) | (dat[p + 1] << 8));
            }
        }
        Files.write(dir.resolve(name + ".mat"), kind.writer.apply(val));
        List<String> lines = new ArrayList<>();
        List<String> original = Files.readAllLines(source);
        lines.add(original.get(0).replaceFirst("^\\S+", name));
        for (String line : original.subList(1, 13)) {
            // e.g. "A0001.mat 16+24 1000/mV 16 0 -115 13047 0 I", as wfdb2mat writes for level 4
            lines.add(line.replaceFirst("^\\S+ 16", name + ".mat 16+24"));
        }
        lines.add("#Age: 67");
        lines.add("#Sex: Female");
        lines.add("#Dx: 426783006,164865005");
        lines.add("#Rx: Unknown");
        Files.write(dir.resolve(name + ".hea"), lines);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
