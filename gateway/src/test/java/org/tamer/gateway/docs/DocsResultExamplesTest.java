package org.tamer.gateway.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.terminology.EcgCodes;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.runtime.bundle.ModelBundle;
import org.tamer.runtime.testdata.SharedData;

/**
 * The example results in docs/examples are what the gateway makes of the two PTB-XL records today (so they cannot
 * drift from the code or the default bundle), the normal record reads normal and the abnormal one abnormal, the
 * HL7 v2 result says for every class what the FHIR result says (probability, finding or not, SNOMED CT code), and
 * docs/fhir.md states the operating points of the bundle that made them. Probabilities and scores are compared to
 * 3 decimals: the last digits of a float network's output depend on the CPU's vector instructions.
 */
class DocsResultExamplesTest {

    private static final Path ROOT = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath()
            .normalize();
    private static final Path BUNDLE = ROOT.resolve("models/tamer-ptbxl-default");
    /** A decimal with at least four digits after the point (probabilities, scores, thresholds, samples). */
    private static final Pattern LONG_DECIMAL = Pattern.compile("-?\\d+\\.\\d{4,}");
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private static List<ExampleResults.Example> fresh;

    @BeforeAll
    static void regenerate() {
        fresh = ExampleResults.build(SharedData.root(), BUNDLE,
                List.of(ExampleResults.NORMAL_RECORD, ExampleResults.ABNORMAL_RECORD));
    }

    @Test
    void committedExamplesAreWhatTheGatewayMakesToday() throws Exception {
        for (ExampleResults.Example example : fresh) {
            String bundle = Files.readString(ROOT.resolve(ExampleResults.bundleFile(example.ecgId())),
                    StandardCharsets.UTF_8);
            String oru = Files.readString(ROOT.resolve(ExampleResults.oruFile(example.ecgId())),
                    StandardCharsets.ISO_8859_1);
            String stale = "docs/examples is stale for PTB-XL record " + example.ecgId() + ": regenerate it with the "
                    + "command in docs/examples/README.md";
            assertEquals(rounded(example.bundleJson()), rounded(bundle), stale);
            assertEquals(rounded(example.oru()), rounded(oru), stale);
        }
    }

    @Test
    void theNormalRecordReadsNormalAndTheAbnormalOneAbnormalInBothResults() {
        assertEquals("N", overall(fresh.get(0)));
        assertEquals("N", oruSegments(fresh.get(0)).get(0)[8]);
        assertEquals("A", overall(fresh.get(1)));
        assertEquals("A", oruSegments(fresh.get(1)).get(0)[8]);
    }

    @Test
    void theHl7ResultSaysForEveryClassWhatTheFhirResultSays() {
        for (ExampleResults.Example example : fresh) {
            Observation diagnosis = diagnosis(example);
            List<String[]> obx = oruSegments(example);
            assertEquals(1 + diagnosis.getComponent().size(), obx.size(), "the impression and one OBX per class");
            assertEquals(diagnosis.getCode().getCodingFirstRep().getCode() + "^EKG impression^LN", obx.get(0)[3],
                    "the same LOINC code for the impression");
            assertEquals(diagnosis.getValueCodeableConcept().getCodingFirstRep().getCode(),
                    obx.get(0)[5].split("\\^")[0], "the overall reading's SNOMED CT code");
            for (int c = 0; c < diagnosis.getComponent().size(); c++) {
                Observation.ObservationComponentComponent component = diagnosis.getComponent().get(c);
                String[] segment = obx.get(c + 1);
                String[] code = segment[3].split("\\^", -1);
                List<Coding> codings = component.getCode().getCoding();
                assertEquals(codings.get(0).getCode(), code[0], "class code");
                String snomed = codings.stream().filter(k -> EcgCodes.SNOMED.equals(k.getSystem()))
                        .map(Coding::getCode).findFirst().orElse(null);
                assertEquals(snomed, code.length > 3 ? code[3] : null, code[0] + ": SNOMED CT code");
                BigDecimal probability = ((Quantity) component.getValue()).getValue();
                assertEquals(String.format(Locale.ROOT, "%.4f", probability.doubleValue()), segment[5], code[0]);
                assertEquals(component.getInterpretationFirstRep().getCodingFirstRep().getCode(), segment[8],
                        code[0] + ": finding or not");
            }
        }
    }

    @Test
    void docsStateTheOperatingPointsOfTheBundleThatMadeTheExamples() throws Exception {
        String docs = Files.readString(ROOT.resolve("docs/fhir.md"));
        ModelBundle bundle = ModelBundle.open(BUNDLE);
        for (String code : bundle.manifest().prompts().classes()) {
            String row = String.format(Locale.ROOT, "| %s | %.4f |", code,
                    bundle.manifest().operatingPoints().of(code).orElseThrow());
            assertTrue(docs.contains(row), "docs/fhir.md lacks the row " + row);
        }
        for (String id : List.of(ExampleResults.NORMAL_RECORD, ExampleResults.ABNORMAL_RECORD)) {
            assertTrue(docs.contains(ExampleResults.bundleFile(id).substring("docs/".length())), id);
            assertTrue(docs.contains(ExampleResults.oruFile(id).substring("docs/".length())), id);
        }
        // each diagnosis Observation's operating-point extensions are the bundle's thresholds
        for (ExampleResults.Example example : fresh) {
            for (Observation.ObservationComponentComponent component : diagnosis(example).getComponent()) {
                String code = component.getCode().getCodingFirstRep().getCode();
                BigDecimal written = ((DecimalType) component.getExtensionByUrl(EcgCodes.OPERATING_POINT_EXTENSION)
                        .getValue()).getValue();
                assertEquals(bundle.manifest().operatingPoints().of(code).orElseThrow(), written.doubleValue(), 0,
                        code);
            }
        }
    }

    private static String overall(ExampleResults.Example example) {
        return diagnosis(example).getInterpretationFirstRep().getCodingFirstRep().getCode();
    }

    private static Observation diagnosis(ExampleResults.Example example) {
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, example.bundleJson());
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof Observation o && WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM.equals(
                        o.getIdentifierFirstRep().getSystem())).map(Observation.class::cast).findFirst()
                .orElseThrow(() -> new AssertionError("no diagnosis Observation in " + example.ecgId()));
    }

    /** The OBX segments of the ORU, split into fields (index = field number). */
    private static List<String[]> oruSegments(ExampleResults.Example example) {
        List<String[]> obx = new ArrayList<>();
        for (String segment : example.oru().split("\n")) {
            if (segment.startsWith("OBX|")) {
                obx.add(segment.split("\\|", -1));
            }
        }
        return obx;
    }

    private static String rounded(String text) {
        Matcher m = LONG_DECIMAL.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            m.appendReplacement(out, new BigDecimal(m.group()).setScale(3, RoundingMode.HALF_EVEN).toPlainString());
        }
        m.appendTail(out);
        return out.toString();
    }
}
