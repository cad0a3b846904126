package org.tamer.routes.adapters.sierra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.SharedData;

class SierraEcgReaderTest {

    private final SierraEcgReader reader = new SierraEcgReader();

    @Test
    void readsEverySampleFileAsAPhysiologicalTwelveLeadEcg() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(SharedData.file("formats/sierra"))) {
            files = walk.filter(p -> p.toString().toLowerCase().endsWith(".xml"))
                    .filter(p -> !p.getFileName().toString().startsWith("invalid")).sorted().toList();
        }
        assertEquals(6, files.size(), files.toString());
        for (Path file : files) {
            EcgRecord record = reader.read(file);
            EcgSignal s = record.signal();
            String name = file.getFileName().toString();
            assertEquals(StandardLead.CANONICAL_ORDER, s.leads(), name);
            assertEquals(500.0, s.samplingRateHz(), name);
            assertTrue(s.length() >= 5000, name + " has " + s.length() + " samples");
            // Einthoven: I + III = II, and aVR + aVL + aVF = 0, up to the 5 µV quantisation of the derivation,
            // over the 10 s of ECG; the 11th second ends with the cart's 1 mV calibration pulse on every lead.
            double worstEinthoven = 0;
            double worstGoldberger = 0;
            double peak = 0;
            for (int t = 0; t < 5000; t++) {
                worstEinthoven = Math.max(worstEinthoven, Math.abs(s.millivolts(0, t) + s.millivolts(2, t)
                        - s.millivolts(1, t)));
                worstGoldberger = Math.max(worstGoldberger, Math.abs(s.millivolts(3, t) + s.millivolts(4, t)
                        + s.millivolts(5, t)));
                for (int l = 0; l < 12; l++) {
                    peak = Math.max(peak, Math.abs(s.millivolts(l, t)));
                }
            }
            assertTrue(worstEinthoven <= 0.011, name + ": I + III - II up to " + worstEinthoven + " mV");
            assertTrue(worstGoldberger <= 0.016, name + ": aVR + aVL + aVF up to " + worstGoldberger + " mV");
            assertTrue(peak > 0.3, name + ": peak " + peak + " mV");
            assertTrue(record.reportText().isPresent(), name + " has interpretation statements");
            if (s.length() == 5500) {
                assertEquals(1.0, s.millivolts(1, 5400) - s.millivolts(1, 5300), 0.05, name + ": calibration pulse");
            }
        }
    }

    @Test
    void agreesWithAnIndependentDecoderAtTheMidpointOfEveryLead() {
        // Values at sample 2750 (in units of 5 µV) published with the independent Python reader of these files
        // (sierra-ecg-tools, pysierraecg/tests/test_xml.py); V3 of ad4d3d80 really sits at -8 mV.
        assertMidpoints("1_03/129DYPRG.XML", -9, -17, -7, 13, -1, -12, 0, -1, -3, -4, -7, -6);
        assertMidpoints("1_04/3191723_ZZDEMOPTONLY_1-04_orig.xml", -11, -54, -43, 33, 16, -50, 7, -4, -14, -41, -35,
                -33);
        assertMidpoints("1_04/ad4d3d80-d165_1-04_orig.xml", 32, 46, 14, -39, 9, 30, -74, 320, -1633, 197, 26, 55);
        assertMidpoints("1_04_01/2020-5-18_15-48-11.xml", -12, 78, 90, -33, -51, 84, 14, 3, -24, -20, -13, -21);
    }

    private void assertMidpoints(String file, int... units) {
        EcgSignal s = reader.read(SharedData.file("formats/sierra/" + file)).signal();
        assertEquals(5500, s.length(), file);
        for (int lead = 0; lead < 12; lead++) {
            assertEquals(units[lead] * 0.005f, s.millivolts(lead, 2750), 1e-6f, file + " lead " + s.leads().get(lead));
        }
    }

    @Test
    void turnsTheInterpretationIntoTheReport() {
        EcgRecord record = reader.read(SharedData.file("formats/sierra/1_03/129DYPRG.XML"));
        assertTrue(record.reportText().orElseThrow().startsWith("Sinus bradycardia"), record.reportText().get());
        assertEquals("HeartstartMRx", record.source().device().orElseThrow());
        assertEquals("2011-12-01T07:27:34Z", record.acquisitionTime().orElseThrow().toString());
        EcgRecord v104 = reader.read(SharedData.file("formats/sierra/1_04/3191723_ZZDEMOPTONLY_1-04_orig.xml"));
        assertTrue(v104.reportText().orElseThrow().contains("SINUS RHYTHM"), v104.reportText().get());
        assertTrue(v104.reportText().get().endsWith("ABNORMAL ECG."), v104.reportText().get());
    }

    @Test
    void refusesTheTwoInvalidFilesNamingTheElement() {
        EcgFormatException type = assertThrows(EcgFormatException.class,
                () -> reader.read(SharedData.file("formats/sierra/invalid-doc-type.xml")));
        assertEquals("documentinfo/documenttype", type.field());
        assertEquals("'MortaraECG' is not a Philips ECG document (expected SierraECG or PhilipsECG)", type.reason());
        EcgFormatException version = assertThrows(EcgFormatException.class,
                () -> reader.read(SharedData.file("formats/sierra/invalid-doc-version.xml")));
        assertEquals("documentinfo/documentversion", version.field());
        assertEquals("version '1.05' is not supported (supported: 1.03, 1.04, 1.04.01)", version.reason());
    }
}
