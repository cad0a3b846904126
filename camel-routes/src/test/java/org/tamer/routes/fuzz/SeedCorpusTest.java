package org.tamer.routes.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.PtbXlRaw;

/**
 * The seeds written by {@link SeedCorpus} from PTB-XL record 1 must decode to that record: a seed its own reader
 * refuses (as the PCD-01 seeds did after the MDC voltage codes were corrected) only ever exercises the refusal path,
 * so the fuzzer never starts from a valid message. The oracle is the record's WFDB samples read by
 * {@link PtbXlRaw}, not the writer that made the seeds.
 */
class SeedCorpusTest {

    private static final float MICROVOLT = 0.001f;

    @ParameterizedTest
    @ValueSource(strings = {"ptbxl-1-chapter_7_multiplexed.hl7", "ptbxl-1-chapter_7_per_channel.hl7",
            "ptbxl-1-ihe_pcd_01.hl7", "ptbxl-1-enhanced-2.3.hl7"})
    void hl7SeedsCarryRecordOne(String seed) throws IOException {
        String message = new String(read("Hl7WaveformFuzzTestInputs/readAndAcknowledge/" + seed),
                StandardCharsets.ISO_8859_1);
        EcgRecord record = new Hl7WaveformAdapter(new MdcLeadCodes(), FuzzSupport.LIMITS).read(message).record();
        assertRecordOne(record.signal(), seed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ptbxl-1-observation.json", "ptbxl-1-bundle.xml"})
    void fhirSeedsCarryRecordOne(String seed) throws IOException {
        String text = new String(read("FhirWaveformFuzzTestInputs/readAndMap/" + seed), StandardCharsets.UTF_8);
        EcgFhirMapper mapper = new EcgFhirMapper(new MdcLeadCodes(), FuzzSupport.LIMITS);
        Object resource = new FhirResourceReader(FhirContext.forR4Cached()).parse(text);
        EcgRecord record = resource instanceof Bundle bundle ? mapper.toRecord(bundle)
                : mapper.toRecord((Observation) resource);
        assertRecordOne(record.signal(), seed);
    }

    private static void assertRecordOne(EcgSignal signal, String seed) {
        float[][] expected = PtbXlRaw.millivolts(1, false);
        assertEquals(100.0, signal.samplingRateHz(), 1e-9, seed + ": sampling rate");
        List<StandardLead> order = List.of(StandardLead.values());
        assertEquals(expected.length, order.size());
        for (int lead = 0; lead < expected.length; lead++) {
            int index = signal.indexOf(order.get(lead)).orElseThrow(
                    () -> new AssertionError(seed + ": lead missing"));
            assertEquals(expected[lead].length, signal.length(), seed + ": samples per lead");
            for (int t = 0; t < expected[lead].length; t++) {
                assertEquals(expected[lead][t], signal.millivolts(index, t), MICROVOLT,
                        seed + ": lead " + order.get(lead) + " sample " + t);
            }
        }
    }

    private static byte[] read(String resource) throws IOException {
        try (InputStream in = SeedCorpusTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("seed missing from the test resources: " + resource);
            }
            return in.readAllBytes();
        }
    }
}
