package org.tamer.routes.fhir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;

/**
 * A FHIR Bulk Data export written here from real PTB-XL records (no public 12-lead SampledData export exists):
 * {@code Observation.ndjson} with three ECG waveform Observations and a heart-rate Observation, and
 * {@code DiagnosticReport.ndjson} whose reports point at the ECGs by {@code result}.
 */
class FhirBulkArchiveTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final EcgFhirMapper MAPPER = new EcgFhirMapper(new MdcLeadCodes());
    private static final PtbXlArchive PTB_XL = new PtbXlArchive(org.tamer.runtime.testdata.SharedData.ptbXl(), true,
            ReportLanguage.ENGLISH_STATEMENTS);

    @Test
    void waveformObservationsWithTheirReportsAreTheRecords(@TempDir Path export) throws Exception {
        IParser json = FHIR.newJsonParser();
        StringBuilder observations = new StringBuilder();
        List<EcgRecord> records = List.of(PTB_XL.read("21"), PTB_XL.read("22"), PTB_XL.read("23"));
        for (int i = 0; i < records.size(); i++) {
            Observation o = MAPPER.toObservation(records.get(i).withReportText(null));
            o.setId("ecg-" + i);
            observations.append(json.encodeResourceToString(o)).append('\n');
            if (i == 0) {
                Observation heartRate = new Observation();
                heartRate.setId("hr-1");
                heartRate.setValue(new Quantity(72).setUnit("/min"));
                observations.append(json.encodeResourceToString(heartRate)).append('\n');
            }
        }
        Files.writeString(export.resolve("Observation.ndjson"), observations, StandardCharsets.UTF_8);
        DiagnosticReport concluded = new DiagnosticReport();
        concluded.setId("dr-1");
        concluded.setConclusion(records.get(0).reportText().orElseThrow());
        concluded.addResult(new Reference("Observation/ecg-0"));
        DiagnosticReport presented = new DiagnosticReport();
        presented.setId("dr-2");
        presented.addPresentedForm(new Attachment().setContentType("text/plain; charset=utf-8")
                .setData(records.get(2).reportText().orElseThrow().getBytes(StandardCharsets.UTF_8)));
        presented.addResult(new Reference("Observation/ecg-2"));
        Files.writeString(export.resolve("DiagnosticReport.ndjson"), json.encodeResourceToString(concluded) + "\r\n"
                + json.encodeResourceToString(presented) + "\r\n", StandardCharsets.UTF_8);

        FhirBulkArchive archive = new FhirBulkArchive(export, FHIR, MAPPER);
        assertEquals(List.of("Observation.ndjson#1", "Observation.ndjson#3", "Observation.ndjson#4"),
                archive.recordKeys(), "the heart rate on line 2 is no ECG");
        List<Optional<String>> reports = List.of(records.get(0).reportText(), Optional.empty(),
                records.get(2).reportText());
        for (int i = 0; i < records.size(); i++) {
            EcgRecord read = archive.read(archive.recordKeys().get(i));
            assertEquals(records.get(i).id(), read.id());
            assertEquals(records.get(i).subjectReference(), read.subjectReference());
            assertEquals(reports.get(i), read.reportText());
            assertSignalsClose(records.get(i).signal(), read.signal());
        }
    }

    @Test
    void aDamagedLineNamesTheFileTheLineAndTheElement(@TempDir Path export) throws Exception {
        Observation o = MAPPER.toObservation(PTB_XL.read("24"));
        o.setId("ecg-x");
        o.getComponent().get(1).getValueSampledData().setPeriod(-2);
        Files.writeString(export.resolve("Observation_1.ndjson"), FHIR.newJsonParser().encodeResourceToString(o)
                + "\n", StandardCharsets.UTF_8);
        FhirBulkArchive archive = new FhirBulkArchive(export, FHIR, MAPPER);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> archive.read("Observation_1.ndjson#1"));
        assertTrue(e.getMessage().contains("Observation_1.ndjson (line 1)")
                && e.getMessage().contains("component[1].valueSampledData.period"), e.getMessage());
    }

    private static void assertSignalsClose(EcgSignal expected, EcgSignal actual) {
        assertEquals(expected.leads(), actual.leads());
        assertEquals(expected.length(), actual.length());
        assertEquals(expected.samplingRateHz(), actual.samplingRateHz(), 1e-9);
        for (int c = 0; c < expected.leadCount(); c++) {
            for (int t = 0; t < expected.length(); t++) {
                if (Math.abs(expected.millivolts(c, t) - actual.millivolts(c, t)) > 1e-3) {
                    throw new AssertionError("lead " + expected.leads().get(c) + " sample " + t + ": "
                            + expected.millivolts(c, t) + " != " + actual.millivolts(c, t));
                }
            }
        }
    }
}
