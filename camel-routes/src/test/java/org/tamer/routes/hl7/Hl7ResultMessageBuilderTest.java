package org.tamer.routes.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.inference.ClassScore;
import org.tamer.runtime.inference.Diagnosis;
import org.tamer.runtime.inference.OperatingPoints;
import org.tamer.runtime.testdata.SharedData;

/**
 * The ORU^R01 result says what the FHIR result says: the overall reading at the operating points (normal only when
 * NORM is the sole finding, abnormal when any other class is one, indeterminate when none is), and each class as its
 * own OBX with its probability, POS/NEG and its SNOMED CT code where the package's ConceptMap has one. Parsed back
 * with HAPI's validating v2.5.1 parser, so the message is one an EHR's interface engine reads. The record is PTB-XL
 * record 1; the scores are set around the thresholds to reach each reading.
 */
class Hl7ResultMessageBuilderTest {

    private static final String PTBXL_STATEMENTS = "https://tamer-ecg.org/fhir/CodeSystem/ptbxl-statement";
    private static final List<String> CLASSES = List.of("NORM", "MI", "STTC", "CD", "HYP");
    private static final OperatingPoints POINTS = new OperatingPoints(Map.of("NORM", 0.3968, "MI", 0.2444,
            "STTC", 0.2928, "CD", 0.1167, "HYP", 0.0785), "Youden's J on VALIDATION, 77 ECGs");
    private static final ZonedDateTime ISSUED = ZonedDateTime.of(2026, 12, 6, 9, 0, 5, 0, ZoneOffset.UTC);

    private static ClassTerminology terminology;
    private static Hl7ResultMessageBuilder builder;
    private static EcgRecord record;
    private static HapiContext hapi;

    @BeforeAll
    static void setUp() {
        terminology = new ClassTerminology(FhirPackage.load(), FhirContext.forR4Cached());
        builder = new Hl7ResultMessageBuilder("TAMER", "HOSP", code -> code.toLowerCase(Locale.ROOT) + " prompt",
                code -> terminology.snomed(PTBXL_STATEMENTS, code).map(c -> new Hl7ResultMessageBuilder.SnomedConcept(
                        c.getCode(), c.getDisplay())), "NORM");
        record = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS).read("1");
        hapi = new DefaultHapiContext();
    }

    @AfterAll
    static void tearDown() throws Exception {
        hapi.close();
    }

    @Test
    void abnormalWhenAClassOtherThanNormClearsItsOperatingPointEvenBesideNorm() throws Exception {
        ORU_R01 oru = build(0.55, 0.30, 0.10, 0.05, 0.02, "2.5.1");
        OBX impression = oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATION(0).getOBX();
        assertEquals("CWE", impression.getValueType().getValue());
        assertEquals("8601-7", impression.getObservationIdentifier().getIdentifier().getValue());
        assertEquals("102594003^Electrocardiogram abnormal^SCT", impression.getObservationValue(0).encode());
        assertEquals("A", impression.getAbnormalFlags(0).getValue());
        assertEquals(List.of("POS", "POS", "NEG", "NEG", "NEG"), flags(oru));
    }

    @Test
    void normalOnlyWhenNormIsTheSoleFinding() throws Exception {
        ORU_R01 oru = build(0.45, 0.20, 0.25, 0.10, 0.07, "2.5.1");
        OBX impression = oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATION(0).getOBX();
        assertEquals("164854000^Electrocardiogram normal^SCT", impression.getObservationValue(0).encode());
        assertEquals("N", impression.getAbnormalFlags(0).getValue());
        assertEquals(List.of("POS", "NEG", "NEG", "NEG", "NEG"), flags(oru));
    }

    @Test
    void indeterminateWhenNoClassClearsItsOperatingPoint() throws Exception {
        ORU_R01 oru = build(0.39, 0.24, 0.29, 0.11, 0.07, "2.5.1");
        OBX impression = oru.getPATIENT_RESULT().getORDER_OBSERVATION().getOBSERVATION(0).getOBX();
        assertEquals("^Indeterminate: no class reached its operating point",
                impression.getObservationValue(0).encode());
        assertEquals("IND", impression.getAbnormalFlags(0).getValue());
        assertEquals(List.of("NEG", "NEG", "NEG", "NEG", "NEG"), flags(oru));
    }

    @Test
    void eachClassIsItsOwnObxWithProbabilityOperatingPointAndSnomedCodeWhereMapped() throws Exception {
        double[] probabilities = {0.55, 0.30, 0.10, 0.05, 0.02};
        ORU_R01 oru = build(probabilities[0], probabilities[1], probabilities[2], probabilities[3], probabilities[4],
                "2.5.1");
        var order = oru.getPATIENT_RESULT().getORDER_OBSERVATION();
        assertEquals(1 + CLASSES.size(), order.getOBSERVATIONReps(), "the impression and one OBX per class");
        assertEquals("P", order.getOBR().getResultStatus().getValue());
        int mapped = 0;
        for (int c = 0; c < CLASSES.size(); c++) {
            ORU_R01_OBSERVATION observation = order.getOBSERVATION(c + 1);
            OBX obx = observation.getOBX();
            String code = CLASSES.get(c);
            assertEquals("NM", obx.getValueType().getValue());
            assertEquals(code, obx.getObservationIdentifier().getIdentifier().getValue());
            assertEquals("99TAMER", obx.getObservationIdentifier().getNameOfCodingSystem().getValue());
            var snomed = terminology.snomed(PTBXL_STATEMENTS, code);
            assertEquals(snomed.map(s -> s.getCode()).orElse(null),
                    obx.getObservationIdentifier().getAlternateIdentifier().getValue(), code);
            assertEquals(snomed.map(s -> "SCT").orElse(null),
                    obx.getObservationIdentifier().getNameOfAlternateCodingSystem().getValue(), code);
            mapped += snomed.isPresent() ? 1 : 0;
            assertEquals(probabilities[c], Double.parseDouble(obx.getObservationValue(0).encode()), 5e-5, code);
            assertEquals("1", obx.getUnits().getIdentifier().getValue());
            assertEquals("P", obx.getObservationResultStatus().getValue());
            String note = observation.getNTE(0).getComment(0).getValue();
            assertTrue(note.contains(String.format(Locale.ROOT, "operating point %.4f",
                    POINTS.thresholdOf(code))), note);
        }
        assertTrue(mapped >= 1, "the package maps at least one PTB-XL superclass to SNOMED CT");
        String rule = order.getOBSERVATION(0).getNTE(0).getComment(0).getValue();
        assertTrue(rule.contains(POINTS.method()) && rule.contains("NORM is the sole finding"), rule);
    }

    @Test
    void versionsBeforeTwoFiveGetCodedValuesAsCe() {
        String message = builder.build(header("2.4"), record, diagnosis(0.55, 0.30, 0.10, 0.05, 0.02), POINTS, "R1",
                ISSUED);
        assertTrue(message.contains("\rOBX|1|CE|8601-7^EKG impression^LN|1|102594003^"), message);
        assertTrue(message.startsWith("MSH|^~\\&|TAMER|HOSP|ECGCART|WARD-A|20261206090005||ORU^R01^ORU_R01|R1|P|2.4|"),
                message);
    }

    private static List<String> flags(ORU_R01 oru) throws Exception {
        List<String> flags = new ArrayList<>();
        var order = oru.getPATIENT_RESULT().getORDER_OBSERVATION();
        for (int i = 1; i < order.getOBSERVATIONReps(); i++) {
            flags.add(order.getOBSERVATION(i).getOBX().getAbnormalFlags(0).getValue());
        }
        return flags;
    }

    private static ORU_R01 build(double norm, double mi, double sttc, double cd, double hyp, String version)
            throws Exception {
        String message = builder.build(header(version), record, diagnosis(norm, mi, sttc, cd, hyp), POINTS,
                "R1", ISSUED);
        return (ORU_R01) hapi.getPipeParser().parse(message);
    }

    private static MessageHeader header(String version) {
        return MessageHeader.read("MSH|^~\\&|ECGCART|WARD-A|TAMER|HOSP|20261206090000||ORU^R01|C1|P|" + version
                + "\r");
    }

    private static Diagnosis diagnosis(double... probabilities) {
        List<ClassScore> scores = new ArrayList<>();
        for (int c = 0; c < CLASSES.size(); c++) {
            scores.add(new ClassScore(CLASSES.get(c), 0.1 + c / 100.0, probabilities[c]));
        }
        return new Diagnosis(record.id(), scores);
    }
}
