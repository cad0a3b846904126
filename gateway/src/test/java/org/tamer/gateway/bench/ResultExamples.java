package org.tamer.gateway.bench;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.SampledData;
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
import org.tamer.runtime.testdata.SharedData;

/**
 * Prints the write-back Bundles the gateway builds for given PTB-XL records, scored by the default model, for
 * docs/fhir.md: each record is sent as an HL7 v2 ORU from {@code ECGCART|WARD-A} and goes through
 * {@link ResultBuilder} as a stored message would (the result is validated against the package). The waveform's
 * 12 × 5000 sample values are shortened to their first three for print. Run:
 * {@code mvn -B -q -Pbench -pl gateway -am test-compile -Dtamer.bench=org.tamer.gateway.bench.ResultExamples
 * -Dtamer.args="9 12"} (PTB-XL ecg_ids).
 */
public final class ResultExamples {

    private ResultExamples() {
    }

    public static void main(String[] args) throws Exception {
        FhirContext fhir = FhirContext.forR4Cached();
        MdcLeadCodes codes = new MdcLeadCodes();
        EcgFhirMapper mapper = new EcgFhirMapper(codes);
        FhirPackage fhirPackage = FhirPackage.load();
        WriteBackBundleBuilder bundles = new WriteBackBundleBuilder(mapper, new ClassTerminology(fhirPackage, fhir),
                "https://tamer-ecg.org/fhir/CodeSystem/ptbxl-statement", "NORM");
        ResultBuilder results = new ResultBuilder(bundles, new SourceIdentities(new FhirResourceReader(fhir), mapper),
                ModelReporting.NONE, fhir, Optional.of(new EcgValidator(fhir, fhirPackage)), "TAMER", "TAMER",
                Clock.fixed(Instant.parse("2026-12-06T09:00:05Z"), ZoneOffset.UTC));
        Hl7Charset charset = new Hl7Charset(StandardCharsets.ISO_8859_1);
        PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
        Hl7WaveformWriter cart = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT,
                "ECGCART", "WARD-A");
        Path repository = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        try (ModelService models = new ModelService(repository.resolve("models/tamer-ptbxl-default"),
                ComputeEngine.load())) {
            LoadedModel model = models.current();
            for (String ecgId : args) {
                EcgRecord record = archive.read(ecgId);
                String message = cart.write(record, "MSG" + ecgId, ZonedDateTime.of(2026, 12, 6, 9, 0, 0, 0,
                        ZoneOffset.UTC));
                var diagnosis = model.classifier().classify(List.of(model.preprocessor().apply(record))).get(0);
                DiagnosisResult built = results.build(Channel.MLLP, "MSG" + ecgId,
                        message.getBytes(StandardCharsets.ISO_8859_1), charset, record,
                        new ModelResult(diagnosis, model));
                Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, built.bundleJson());
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    if (entry.getResource() instanceof Observation o) {
                        for (Observation.ObservationComponentComponent c : o.getComponent()) {
                            if (c.getValue() instanceof SampledData data) {
                                String[] values = data.getData().split(" ");
                                data.setData(String.join(" ", values[0], values[1], values[2]) + " ...");
                            }
                        }
                    }
                }
                System.out.println("=== PTB-XL ecg_id " + ecgId + " (PTB-XL report: " + record.reportText().orElse("")
                        .replace('\n', ' ') + ")");
                System.out.println(fhir.newJsonParser().setPrettyPrint(true).encodeResourceToString(bundle));
            }
        }
    }
}
