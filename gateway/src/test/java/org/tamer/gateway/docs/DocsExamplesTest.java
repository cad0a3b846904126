package org.tamer.gateway.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;

/**
 * The example ECG Observation in docs/examples is what the mapper makes of PTB-XL record 1 today (so it cannot
 * drift), parses strictly as FHIR R4, and carries record 1's samples: after the round trip through FHIR JSON every
 * lead equals the record read from the archive, to the microvolt. docs/gateway.md names the file in its $diagnose example.
 */
class DocsExamplesTest {

    private static final Path ROOT = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath()
            .normalize();

    @Test
    void exampleObservationIsTheMappersOutputForRecordOne() throws Exception {
        String committed = Files.readString(ROOT.resolve(ExampleObservation.FILE));
        assertEquals(ExampleObservation.json(SharedData.root()), committed, "docs/examples is stale: regenerate it "
                + "with the command in docs/examples/README.md");
        Observation parsed = (Observation) new FhirResourceReader(FhirContext.forR4Cached()).parse(committed);
        assertEquals(12, parsed.getComponent().size());
        EcgRecord fromExample = new EcgFhirMapper(new MdcLeadCodes()).toRecord(parsed);
        EcgRecord wfdb = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS).read("1");
        assertEquals(wfdb.signal().leadCount(), fromExample.signal().leadCount());
        for (int lead = 0; lead < 12; lead++) {
            float[] expected = wfdb.signal().copyOfLead(lead);
            float[] actual = fromExample.signal().copyOfLead(lead);
            assertEquals(expected.length, actual.length);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual[i], 1e-3, "lead " + lead + " sample " + i);
            }
        }
        String guide = Files.readString(ROOT.resolve("docs/gateway.md"));
        assertTrue(guide.contains("--data-binary @" + ExampleObservation.FILE), "docs/gateway.md posts the example");
    }
}
