package org.tamer.routes.adapters.mimic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.ptbxl.PtbXlDatabase;
import org.tamer.routes.adapters.ptbxl.PtbXlEntry;
import org.tamer.routes.adapters.wfdb.WfdbReader;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/**
 * MIMIC-IV-ECG itself is credentialed data and not in the shared folder, so a small tree in its layout is built
 * from real PTB-XL records, with each record's English statements as machine-measurement report lines.
 */
class MimicIvEcgArchiveTest {

    private static final int[] PTB_XL_IDS = {1, 2, 3, 8, 13};

    @Test
    void readsStudiesWithTheirMachineStatementReports(@TempDir Path root) throws IOException {
        PtbXlDatabase ptbXl = PtbXlDatabase.load(SharedData.ptbXl());
        buildTree(root, ptbXl);
        MimicIvEcgArchive archive = new MimicIvEcgArchive(root);
        assertEquals(List.of("40000001", "40000002", "40000003", "40000008", "40000013"), archive.recordKeys());
        WfdbReader wfdb = new WfdbReader();
        for (int id : PTB_XL_IDS) {
            EcgRecord record = archive.read(Integer.toString(40_000_000 + id));
            PtbXlEntry entry = ptbXl.entry(id).orElseThrow();
            assertEquals("mimic-iv-ecg-" + (40_000_000 + id), record.id());
            assertEquals(Optional.of("Patient/mimic-iv-" + (10_000_000 + id)), record.subjectReference());
            assertEquals(Optional.of(entry.englishReport()), record.reportText());
            assertEquals(wfdb.read(SharedData.ptbXlHeader(id, true)).ecg().signal(), record.signal());
            assertEquals(Optional.of("cart-" + id), record.source().device());
        }
        assertEquals(OffsetDateTime.parse("2180-07-23T08:44:00Z"),
                archive.read("40000001").acquisitionTime().orElseThrow());
    }

    @Test
    void namesTheLineOfABadRecordList(@TempDir Path root) throws IOException {
        Files.writeString(root.resolve("record_list.csv"),
                "subject_id,study_id,file_name,ecg_time,path\n10000001,4000x001,40000001,2180-07-23 08:44:00,files/x\n");
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> new MimicIvEcgArchive(root));
        assertEquals("line 1: study_id", e.field());
        assertEquals("not an integer: '4000x001'", e.reason());
    }

    private static void buildTree(Path root, PtbXlDatabase ptbXl) throws IOException {
        List<String> recordList = new ArrayList<>(List.of("subject_id,study_id,file_name,ecg_time,path"));
        StringBuilder header = new StringBuilder("subject_id,study_id,cart_id,ecg_time");
        for (int i = 0; i < 18; i++) {
            header.append(",report_").append(i);
        }
        List<String> measurements = new ArrayList<>(List.of(header.toString()));
        for (int id : PTB_XL_IDS) {
            long subject = 10_000_000 + id;
            long study = 40_000_000 + id;
            String folder = "files/p" + Long.toString(subject).substring(0, 4) + "/p" + subject + "/s" + study;
            Path dir = Files.createDirectories(root.resolve(folder));
            Path source = SharedData.ptbXlHeader(id, true);
            String stem = source.getFileName().toString().replace(".hea", "");
            List<String> lines = new ArrayList<>();
            for (String line : Files.readAllLines(source)) {
                lines.add(line.replace(stem, Long.toString(study)));
            }
            Files.write(dir.resolve(study + ".hea"), lines);
            Files.copy(source.resolveSibling(stem + ".dat"), dir.resolve(study + ".dat"));
            String time = "2180-07-23 08:44:00";
            recordList.add(subject + "," + study + "," + study + "," + time + "," + folder + "/" + study);
            PtbXlEntry entry = ptbXl.entry(id).orElseThrow();
            String[] statements = entry.englishReport().split("\\. ");
            StringBuilder row = new StringBuilder(subject + "," + study + ",cart-" + id + "," + time);
            for (int i = 0; i < 18; i++) {
                row.append(',');
                if (i < statements.length) {
                    row.append('"').append(statements[i].replace("\"", "\"\"")).append('"');
                }
            }
            measurements.add(row.toString());
        }
        Files.write(root.resolve("record_list.csv"), recordList);
        Files.write(root.resolve("machine_measurements.csv"), measurements);
    }
}
