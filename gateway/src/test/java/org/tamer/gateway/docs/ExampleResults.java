package org.tamer.gateway.docs;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.fhir.validation.EcgValidator;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.model.LoadedModel;
import org.tamer.gateway.model.ModelResult;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.pipeline.DiagnosisResult;
import org.tamer.gateway.pipeline.Hl7Charset;
import org.tamer.gateway.pipeline.ModelReporting;
import org.tamer.gateway.pipeline.ResultBuilder;
import org.tamer.gateway.pipeline.SourceIdentities;
import org.tamer.gateway.store.Channel;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.engine.ComputeEngine;

/**
 * Writes the example results of docs/fhir.md into docs/examples: for a PTB-XL record labelled normal and one labelled
 * with an infarction, a conduction disturbance, hypertrophy and ischaemia (both from fold 10, which neither training nor calibration saw), the write-back
 * transaction Bundle and the HL7 v2 ORU^R01 the gateway makes when the record arrives as an HL7 v2.5.1 ORU from
 * {@code ECGCART|WARD-A}, scored by the committed default model at its own operating points. Every step is the
 * gateway's own: {@link Hl7WaveformWriter} for the incoming message, the diagnosis worker's reading and scoring,
 * {@link ResultBuilder} (which validates the Bundle against the package). The ORU's segments are written one a line
 * ({@code \n}; on the wire they end with CR). Run from the repository root:
 * {@code mvn -B -q -Pbench -pl gateway -am test-compile -Dtamer.bench=org.tamer.gateway.docs.ExampleResults}.
 * {@code DocsResultExamplesTest} fails when the committed files differ from what this writes today.
 */
public final class ExampleResults {

    /** PTB-XL ecg_id 9: fold 10, SCP statements NORM 100, SR. */
    public static final String NORMAL_RECORD = "9";
    /**
     * PTB-XL ecg_id 162: fold 10, SCP statements ASMI 50, LAFB 100, LVH 50, ISC_ 100, SR (superclasses MI, CD, HYP,
     * STTC).
     */
    public static final String ABNORMAL_RECORD = "162";
    static final ZonedDateTime SENT = ZonedDateTime.of(2026, 12, 6, 9, 0, 0, 0, ZoneOffset.UTC);
    static final Instant BUILT = Instant.parse("2026-12-06T09:00:05Z");

    /**
     * One record's results.
     *
     * @param bundleJson the write-back transaction Bundle, pretty-printed
     * @param oru        the ORU^R01 back to the sender, one segment a line
     */
    public record Example(String ecgId, String bundleJson, String oru) {
    }

    private ExampleResults() {
    }

    public static String bundleFile(String ecgId) {
        return String.format("docs/examples/ptbxl-%05d-result-bundle.json", Integer.parseInt(ecgId));
    }

    public static String oruFile(String ecgId) {
        return String.format("docs/examples/ptbxl-%05d-result-oru.hl7", Integer.parseInt(ecgId));
    }

    /** The results for the given PTB-XL records, from the PTB-XL folder under {@code data} and the given bundle. */
    public static List<Example> build(Path data, Path modelBundle, List<String> ecgIds) {
        FhirContext fhir = FhirContext.forR4Cached();
        MdcLeadCodes codes = new MdcLeadCodes();
        EcgFhirMapper mapper = new EcgFhirMapper(codes);
        FhirPackage fhirPackage = FhirPackage.load();
        WriteBackBundleBuilder bundles = new WriteBackBundleBuilder(mapper, new ClassTerminology(fhirPackage, fhir),
                "https://tamer-ecg.org/fhir/CodeSystem/ptbxl-statement", "NORM");
        ResultBuilder results = new ResultBuilder(bundles, new SourceIdentities(new FhirResourceReader(fhir), mapper),
                ModelReporting.NONE, fhir, Optional.of(new EcgValidator(fhir, fhirPackage)), "TAMER", "TAMER",
                Clock.fixed(BUILT, ZoneOffset.UTC));
        Hl7Charset charset = new Hl7Charset(StandardCharsets.ISO_8859_1);
        PtbXlArchive archive = new PtbXlArchive(data.resolve("ptbxl"), true, ReportLanguage.ENGLISH_STATEMENTS);
        Hl7WaveformWriter cart = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT,
                "ECGCART", "WARD-A");
        try (ModelService models = new ModelService(modelBundle, ComputeEngine.load())) {
            LoadedModel model = models.current();
            return ecgIds.stream().map(ecgId -> {
                EcgRecord record = archive.read(ecgId);
                String controlId = "MSG" + ecgId;
                String message = cart.write(record, controlId, SENT);
                var diagnosis = model.classifier().classify(List.of(model.preprocessor().apply(record))).get(0);
                DiagnosisResult built = results.build(Channel.MLLP, controlId,
                        message.getBytes(StandardCharsets.ISO_8859_1), charset, record,
                        new ModelResult(diagnosis, model));
                Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, built.bundleJson());
                return new Example(ecgId, fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle)
                        + "\n", built.hl7Result().orElseThrow().replace('\r', '\n'));
            }).toList();
        }
    }

    /** Without arguments writes the two examples; with PTB-XL ecg_ids prints those records' ORU results only. */
    public static void main(String[] args) throws IOException {
        Path root = Path.of(System.getProperty("tamer.repository.root", "."));
        Path data = Path.of(System.getProperty("tamer.data.dir", root.resolve("../shared/data").toString()));
        if (args.length > 0) {
            for (Example example : build(data, root.resolve("models/tamer-ptbxl-default"), List.of(args))) {
                System.out.println("=== PTB-XL ecg_id " + example.ecgId());
                System.out.print(example.oru());
            }
            return;
        }
        for (Example example : build(data, root.resolve("models/tamer-ptbxl-default"),
                List.of(NORMAL_RECORD, ABNORMAL_RECORD))) {
            Path bundle = root.resolve(bundleFile(example.ecgId()));
            Path oru = root.resolve(oruFile(example.ecgId()));
            Files.writeString(bundle, example.bundleJson(), StandardCharsets.UTF_8);
            Files.writeString(oru, example.oru(), StandardCharsets.ISO_8859_1);
            System.out.println("wrote " + bundle.toAbsolutePath().normalize() + " and " + oru.getFileName());
            System.out.print(example.oru());
        }
    }
}
