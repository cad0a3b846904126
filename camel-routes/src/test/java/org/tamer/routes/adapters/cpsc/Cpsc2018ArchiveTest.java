package org.tamer.routes.adapters.cpsc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.ArchiveLabels;
import org.tamer.routes.adapters.EcgFileArchive;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.challenge.ChallengeLayoutWriter;
import org.tamer.routes.adapters.mat.MatFileReader;
import org.tamer.routes.adapters.mat.MatFileWriter;
import org.tamer.routes.adapters.mat.MatMatrix;
import org.tamer.routes.adapters.mat.MatStruct;
import org.tamer.routes.adapters.mat.MatText;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.StandardLead;

/**
 * No CPSC2018 file ships with the shared data, so real PTB-XL records are written in its original layout with the
 * test's own MAT writer: the struct {@code ECG} (sex, age, data in mV as doubles, 12 × samples) and
 * {@code REFERENCE.csv}; records of 6, 10 and 60 s (six PTB-XL records end to end), plain and compressed, both byte
 * orders. Every value read back must be the written double, bit for bit.
 */
class Cpsc2018ArchiveTest {

    @Test
    void roundTripsRealRecordsBitExactlyWithTheirLabels(@TempDir Path dir) throws IOException {
        double[][] six = millivolts(List.of(21), 3000);
        double[][] ten = millivolts(List.of(22), 5000);
        double[][] sixty = millivolts(List.of(23, 24, 25, 26, 27, 28), 30_000);
        Files.write(dir.resolve("A0001.mat"), MatFileWriter.level5Struct("ECG", six, "Male", 54, false,
                ByteOrder.LITTLE_ENDIAN));
        Files.write(dir.resolve("A0002.mat"), MatFileWriter.level5Struct("ECG", ten, "Female", 71, true,
                ByteOrder.LITTLE_ENDIAN));
        Files.write(dir.resolve("A0003.mat"), MatFileWriter.level5Struct("ECG", sixty, "Female", 38, true,
                ByteOrder.BIG_ENDIAN));
        Files.writeString(dir.resolve("REFERENCE.csv"), "Recording,First_label,Second_label,Third_label\n"
                + "A0001,5,,\nA0002,1,,\nA0003,7,8,1\n");
        Cpsc2018Archive archive = new Cpsc2018Archive(dir);
        assertEquals(List.of("A0001", "A0002", "A0003"), archive.recordKeys());
        Map<String, double[][]> written = Map.of("A0001", six, "A0002", ten, "A0003", sixty);
        for (Map.Entry<String, double[][]> record : written.entrySet()) {
            EcgSignal signal = archive.read(record.getKey()).signal();
            assertEquals(500.0, signal.samplingRateHz());
            assertEquals(StandardLead.CANONICAL_ORDER, signal.leads());
            double[][] values = record.getValue();
            assertEquals(values[0].length, signal.length());
            for (int lead = 0; lead < 12; lead++) {
                for (int t = 0; t < values[0].length; t++) {
                    assertEquals(Float.floatToRawIntBits((float) values[lead][t]),
                            Float.floatToRawIntBits(signal.millivolts(lead, t)), record.getKey() + " " + lead + " " + t);
                }
            }
            // and the doubles themselves, through the MAT reader
            MatStruct ecg = (MatStruct) new MatFileReader().readVariables(Files.readAllBytes(dir.resolve(
                    record.getKey() + ".mat")), "x").get("ECG");
            MatMatrix data = (MatMatrix) ecg.field("data").orElseThrow();
            for (int lead = 0; lead < 12; lead++) {
                for (int t = 0; t < values[0].length; t += 7) {
                    assertEquals(Double.doubleToRawLongBits(values[lead][t]), Double.doubleToRawLongBits(data.get(
                            lead, t)));
                }
            }
        }
        Cpsc2018Record first = archive.readRecord("A0001");
        assertEquals(Optional.of("Male"), first.sex());
        assertEquals(Optional.of(54.0), first.age());
        assertEquals("Female", ((MatText) ((MatStruct) new MatFileReader().readVariables(
                Files.readAllBytes(dir.resolve("A0003.mat")), "x").get("ECG")).field("sex").orElseThrow()).text());
        assertEquals(new ArchiveLabels(Cpsc2018Archive.CLASS_SYSTEM, List.of("CRBBB")), archive.labels("A0001"));
        assertEquals(List.of("NORM"), archive.labels("A0002").codes());
        assertEquals(List.of("VPC", "STD", "NORM"), archive.labels("A0003").codes());
    }

    @Test
    void namesWhatIsWrong(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("B0001.mat"), MatFileWriter.level5("val", new short[][] {{1, 2}}, false,
                ByteOrder.LITTLE_ENDIAN));
        Files.writeString(dir.resolve("REFERENCE.csv"), "Recording,First_label\nB0001,12\n");
        EcgFormatException label = assertThrows(EcgFormatException.class, () -> new Cpsc2018Archive(dir));
        assertEquals("label 12 is not one of CPSC2018's classes 1-9", label.reason());
        Files.writeString(dir.resolve("REFERENCE.csv"), "Recording,First_label\nB0001,2\n");
        EcgFormatException struct = assertThrows(EcgFormatException.class, () -> new Cpsc2018Archive(dir)
                .read("B0001"));
        assertEquals("variable 'ECG'", struct.field());
        assertEquals("not found or not a struct; the file holds [val]", struct.reason());
    }

    @Test
    void aFilesArchiveListsMatFilesItCannotUseWithTheReason(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("A0001.mat"), MatFileWriter.level5Struct("ECG", millivolts(List.of(30), 3000),
                "Male", 50, false, ByteOrder.LITTLE_ENDIAN));
        ChallengeLayoutWriter.write(dir, "C0001", 31, "05-May-2020 14:50:55", List.of("Dx: 426783006"));
        Files.writeString(dir.resolve("notes.txt"), "not an ECG");
        EcgFileArchive files = new EcgFileArchive(dir);
        assertEquals(List.of("A0001.mat", "C0001.hea", "notes.txt"), files.recordKeys());
        assertEquals(12, files.read("C0001.hea").signal().leadCount());
        EcgFormatException mat = assertThrows(EcgFormatException.class, () -> files.read("A0001.mat"));
        assertEquals("a signal file (.mat) without a WFDB header of the same name beside it; a CPSC2018 folder of "
                + "MAT-files with REFERENCE.csv is read with --source cpsc2018", mat.reason());
        assertEquals("content", assertThrows(EcgFormatException.class, () -> files.read("notes.txt")).field());
    }

    /** PTB-XL records end to end, first {@code samples} samples, in mV (ADC / 1000, PTB-XL's gain). */
    private static double[][] millivolts(List<Integer> ptbXlIds, int samples) throws IOException {
        double[][] mv = new double[12][samples];
        int t = 0;
        for (int id : ptbXlIds) {
            short[][] adc = ChallengeLayoutWriter.adc(id);
            for (int i = 0; i < adc[0].length && t < samples; i++, t++) {
                for (int lead = 0; lead < 12; lead++) {
                    mv[lead][t] = adc[lead][i] / 1000.0;
                }
            }
        }
        return mv;
    }
}
