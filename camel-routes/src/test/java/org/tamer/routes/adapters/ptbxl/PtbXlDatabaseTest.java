package org.tamer.routes.adapters.ptbxl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.CsvTables;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

class PtbXlDatabaseTest {

    private static final List<String> SUPERCLASSES = List.of("NORM", "MI", "STTC", "CD", "HYP");

    private final PtbXlDatabase database = PtbXlDatabase.load(SharedData.ptbXl());

    @Test
    void resolvesTheStatementsOfTheFirstRecord() {
        PtbXlEntry first = database.entry(1).orElseThrow();
        assertEquals(15709L, first.patientId());
        assertEquals(List.of(new ScpCode("NORM", 100.0), new ScpCode("LVOLT", 0.0), new ScpCode("SR", 0.0)),
                first.scpCodes());
        assertEquals(Set.of("NORM"), first.diagnosticSuperclasses());
        assertEquals(Set.of("NORM"), first.diagnosticSubclasses());
        assertEquals(Set.of("LVOLT"), first.formStatements());
        assertEquals(Set.of("SR"), first.rhythmStatements());
        assertEquals(3, first.strataFold());
        assertEquals(Optional.of(56), first.age());
        assertEquals(Optional.of(LocalDateTime.parse("1984-11-09T09:17:34")), first.recordingDate());
        assertEquals("sinusrhythmus periphere niederspannung", first.report());
        assertEquals("Sinus rhythm. Normal ECG. Low QRS voltages in the frontal and horizontal leads.",
                first.englishReport());
        assertEquals("records500/00000/00001_hr", first.highRateFile());
        assertEquals(500, database.entries().size());
        assertEquals(71, database.statements().size());
    }

    @Test
    void diagnosticSuperclassesAgreeWithTheMerlBenchmarkLabels() {
        // The MERL label tables were derived independently from the same PTB-XL release.
        int compared = 0;
        for (String split : List.of("train", "val", "test")) {
            Path table = SharedData.file("merl-splits/ptbxl/super_class/ptbxl_super_class_" + split + ".csv");
            for (CSVRecord row : CsvTables.read(table)) {
                int id = Integer.parseInt(row.get("ecg_id"));
                Optional<PtbXlEntry> entry = database.entry(id);
                if (entry.isEmpty()) {
                    continue;
                }
                Set<String> expected = new java.util.HashSet<>();
                for (String superclass : SUPERCLASSES) {
                    if (row.get(superclass).equals("1")) {
                        expected.add(superclass);
                    }
                }
                assertEquals(expected, entry.get().diagnosticSuperclasses(), "ecg_id " + id);
                assertEquals(Integer.parseInt(row.get("strat_fold")), entry.get().strataFold(), "ecg_id " + id);
                compared++;
            }
        }
        assertTrue(compared > 400, "only " + compared + " PTB-XL records were in the MERL tables");
    }

    @Test
    void everyRecordHasAnEnglishReportAndPatientsSpanFolds() {
        Map<Long, Set<Integer>> foldsByPatient = new HashMap<>();
        for (PtbXlEntry entry : database.entries()) {
            assertTrue(entry.englishReport().endsWith("."), "ecg_id " + entry.ecgId());
            assertTrue(entry.englishReport().split(" ").length >= 2, entry.englishReport());
            foldsByPatient.computeIfAbsent(entry.patientId(), p -> new java.util.HashSet<>()).add(entry.strataFold());
        }
        // PTB-XL's folds are patient-wise: a patient never spans two folds.
        foldsByPatient.forEach((patient, folds) -> assertEquals(1, folds.size(), "patient " + patient));
    }

    @Test
    void archiveAttachesPatientTimeDeviceAndTheChosenReport() {
        PtbXlArchive original = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ORIGINAL);
        EcgRecord record = original.read("1");
        assertEquals("ptbxl-1", record.id());
        assertEquals(Optional.of("Patient/ptbxl-15709"), record.subjectReference());
        assertEquals(OffsetDateTime.parse("1984-11-09T09:17:34Z"), record.acquisitionTime().orElseThrow());
        assertEquals(Optional.of("CS-12   E"), record.source().device());
        assertEquals("PTB-XL", record.source().format());
        assertEquals(Optional.of("sinusrhythmus periphere niederspannung"), record.reportText());
        assertEquals(500, original.recordKeys().size());

        PtbXlArchive english = new PtbXlArchive(SharedData.ptbXl(), false, ReportLanguage.ENGLISH_STATEMENTS);
        EcgRecord low = english.read("2");
        assertEquals(100.0, low.signal().samplingRateHz());
        assertEquals(Optional.of("Sinus bradycardia. Normal ECG."), low.reportText());
    }

    @Test
    void namesTheLineAndColumnOfABadRow(@TempDir Path dir) throws IOException {
        Files.copy(SharedData.file("ptbxl/scp_statements.csv"), dir.resolve("scp_statements.csv"));
        List<String> lines = Files.readAllLines(SharedData.file("ptbxl/ptbxl_database.csv"));
        Files.write(dir.resolve("ptbxl_database.csv"), List.of(lines.get(0),
                lines.get(1).replace("'NORM': 100.0", "'NORMAL': 100.0")));
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> PtbXlDatabase.load(dir));
        assertEquals("line 1: scp_codes", e.field());
        assertEquals("statement 'NORMAL' is not in scp_statements.csv", e.reason());

        Files.write(dir.resolve("ptbxl_database.csv"), List.of(lines.get(0), lines.get(1).replace("{'NORM'", "['NORM'")));
        assertTrue(assertThrows(EcgFormatException.class, () -> PtbXlDatabase.load(dir)).reason()
                .startsWith("expected a {'CODE': likelihood, ...} dictionary"));
    }
}
