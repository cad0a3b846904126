package org.tamer.routes.adapters.aecg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.SharedData;

class AnnotatedEcgReaderTest {

    private final AnnotatedEcgReader reader = new AnnotatedEcgReader();

    @Test
    void readsTheRhythmSeriesOfTheHl7Example() {
        EcgRecord record = reader.read(SharedData.file("formats/hl7-aecg-example.xml"));
        EcgSignal s = record.signal();
        assertEquals(12, s.leadCount());
        assertTrue(s.leads().containsAll(StandardLead.CANONICAL_ORDER), s.leads().toString());
        assertEquals(500.0, s.samplingRateHz(), 1e-9);
        assertEquals(5000, s.length());
        // first digits of lead I are -2 at a scale of 2.5 uV
        assertEquals(-0.005f, s.millivolts(s.indexOf(StandardLead.I).orElseThrow(), 0), 1e-7f);
        int i = s.indexOf(StandardLead.I).orElseThrow();
        int ii = s.indexOf(StandardLead.II).orElseThrow();
        int iii = s.indexOf(StandardLead.III).orElseThrow();
        double worst = 0;
        for (int t = 0; t < s.length(); t++) {
            worst = Math.max(worst, Math.abs(s.millivolts(i, t) + s.millivolts(iii, t) - s.millivolts(ii, t)));
        }
        assertTrue(worst < 0.02, "Einthoven's law violated by " + worst + " mV");
        assertEquals("Sinus Rhythm.", record.reportText().orElseThrow());
        assertEquals("ELI250", record.source().device().orElseThrow());
        assertEquals("2002-11-22T09:10Z", record.acquisitionTime().orElseThrow().toString());
    }

    @Test
    void namesWhatIsWrong() throws IOException {
        String xml = Files.readString(SharedData.file("formats/hl7-aecg-example.xml"), StandardCharsets.UTF_8);
        assertError(xml.replace("<increment value=\"0.002\" unit=\"s\"/>", "<increment value=\"0.002\" unit=\"kg\"/>"),
                "sequence TIME_ABSOLUTE/increment", "unit 'kg' is not a time unit (s, ms)");
        assertError(xml.replaceFirst("<scale value=\"2.5\" unit=\"uV\"/>", "<scale value=\"2.5\" unit=\"mmHg\"/>"),
                "sequence MDC_ECG_LEAD_I/scale", "unit 'mmHg' is not a voltage unit");
        assertError(xml.replaceFirst("<digits> -2 -2", "<digits> -2 x2"), "sequence MDC_ECG_LEAD_I/digits",
                "value 1 is 'x2', not an integer");
        assertError("<?xml version=\"1.0\"?><RestingECG/>", "RestingECG",
                "root element is not AnnotatedECG: not an HL7 annotated ECG");
    }

    private void assertError(String xml, String field, String reason) {
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> reader.read(xml.getBytes(StandardCharsets.UTF_8), "test.xml"));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(reason, e.reason());
    }
}
