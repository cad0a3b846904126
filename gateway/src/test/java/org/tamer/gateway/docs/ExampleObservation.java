package org.tamer.gateway.docs;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Observation;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;

/**
 * Writes docs/examples/ptbxl-00001-observation.json: PTB-XL record 1 as a 12-lead ECG Observation, made by the
 * gateway's own mapper. Run from the repository root:
 * {@code mvn -B -q -Pbench -pl gateway -am test-compile -Dtamer.bench=org.tamer.gateway.docs.ExampleObservation}.
 */
public final class ExampleObservation {

    public static final String FILE = "docs/examples/ptbxl-00001-observation.json";

    private ExampleObservation() {
    }

    /** The example's JSON, pretty-printed, from the PTB-XL folder under {@code data}. */
    public static String json(Path data) {
        Observation observation = new EcgFhirMapper(new MdcLeadCodes()).toObservation(
                new PtbXlArchive(data.resolve("ptbxl"), true, ReportLanguage.ENGLISH_STATEMENTS).read("1"));
        return FhirContext.forR4Cached().newJsonParser().setPrettyPrint(true).encodeResourceToString(observation)
                + "\n";
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(System.getProperty("tamer.repository.root", "."));
        Path data = Path.of(System.getProperty("tamer.data.dir", root.resolve("../shared/data").toString()));
        Path out = root.resolve(FILE);
        Files.writeString(out, json(data), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath().normalize());
    }
}
