package org.tamer.routes.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/**
 * An interface engine's archive of HL7 v2 files, written here from real PTB-XL records: a single message with CR
 * segment ends, a batch file (FHS/BHS … BTS/FTS) rewritten with LF line ends holding three messages in different
 * waveform styles, and a file that is no HL7 at all.
 */
class Hl7MessageArchiveTest {

    private static final PtbXlArchive PTB_XL = new PtbXlArchive(SharedData.ptbXl(), true,
            ReportLanguage.ENGLISH_STATEMENTS);

    @Test
    void singleMessagesAndBatchFilesAreReadMessageByMessage(@TempDir Path folder) throws Exception {
        List<EcgRecord> records = List.of(PTB_XL.read("11"), PTB_XL.read("12"), PTB_XL.read("13"), PTB_XL.read("14"));
        Files.writeString(folder.resolve("a-single.hl7"), writer(WaveformStyle.IHE_PCD_01).write(records.get(0),
                "S1", Hl7WaveformAdapterTest.SENT), StandardCharsets.ISO_8859_1);
        StringBuilder batch = new StringBuilder("FHS|^~\\&|CART|WARD7|||20261124093000\rBHS|^~\\&|CART|WARD7|||"
                + "20261124093000\r");
        WaveformStyle[] styles = {WaveformStyle.CHAPTER_7_MULTIPLEXED, WaveformStyle.CHAPTER_7_PER_CHANNEL,
                WaveformStyle.IHE_PCD_01};
        for (int i = 1; i < 4; i++) {
            batch.append(writer(styles[i - 1]).write(records.get(i), "B" + i, Hl7WaveformAdapterTest.SENT));
        }
        batch.append("BTS|3\rFTS|1\r");
        Files.createDirectories(folder.resolve("batches"));
        Files.writeString(folder.resolve("batches/day-1.hl7"), batch.toString().replace('\r', '\n'),
                StandardCharsets.ISO_8859_1);
        Files.writeString(folder.resolve("notes.txt"), "not an HL7 message\n", StandardCharsets.ISO_8859_1);

        Hl7MessageArchive archive = new Hl7MessageArchive(folder, StandardCharsets.ISO_8859_1, new MdcLeadCodes());
        assertEquals(List.of("a-single.hl7#1", "batches/day-1.hl7#1", "batches/day-1.hl7#2", "batches/day-1.hl7#3",
                "notes.txt#1"), archive.recordKeys());
        List<String> keys = archive.recordKeys();
        for (int i = 0; i < records.size(); i++) {
            EcgRecord read = archive.read(keys.get(i));
            assertEquals(records.get(i).id(), read.id());
            assertEquals(records.get(i).reportText(), read.reportText());
            assertEquals(records.get(i).subjectReference(), read.subjectReference());
            Hl7WaveformAdapterTest.assertSignalsEqual(records.get(i).signal(), read.signal(), 1e-6);
        }
        EcgFormatException notHl7 = assertThrows(EcgFormatException.class, () -> archive.read("notes.txt#1"));
        assertTrue(notHl7.getMessage().contains("notes.txt") && notHl7.getMessage().contains("MSH"),
                notHl7.getMessage());
        assertEquals(archive.recordKeys(), new Hl7MessageArchive(folder, StandardCharsets.ISO_8859_1,
                new MdcLeadCodes()).recordKeys(), "stable keys");
    }

    @Test
    void aBrokenMessageInABatchNamesTheFileTheMessageAndTheField(@TempDir Path folder) throws Exception {
        String good = writer(WaveformStyle.IHE_PCD_01).write(PTB_XL.read("15"), "G1", Hl7WaveformAdapterTest.SENT);
        String original = writer(WaveformStyle.IHE_PCD_01).write(PTB_XL.read("16"), "G2",
                Hl7WaveformAdapterTest.SENT);
        String bad = original.replaceFirst("\\|131074\\^[^|]*\\|", "|999999^MDC_UNKNOWN^MDC|");
        assertTrue(!bad.equals(original), "lead II's code must be replaced");
        Files.writeString(folder.resolve("batch.hl7"), "BHS|^~\\&\r" + good + bad + "BTS|2\r",
                StandardCharsets.ISO_8859_1);
        Hl7MessageArchive archive = new Hl7MessageArchive(folder, StandardCharsets.ISO_8859_1, new MdcLeadCodes());
        assertEquals(List.of("batch.hl7#1", "batch.hl7#2"), archive.recordKeys());
        assertEquals(PTB_XL.read("15").id(), archive.read("batch.hl7#1").id());
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> archive.read("batch.hl7#2"));
        assertTrue(e.getMessage().contains("batch.hl7 (#2)") && e.getMessage().contains("OBX"), e.getMessage());
    }

    private static Hl7WaveformWriter writer(WaveformStyle style) {
        return new Hl7WaveformWriter(style, "2.5.1", WaveformScale.MICROVOLT, "CART", "WARD7");
    }
}
