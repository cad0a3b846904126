package org.tamer.routes.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.StandardLead;

/**
 * The reader against messages written by hand from the HL7 v2 standard (chapter 7 waveform results) and IHE
 * PCD-01, not by the project's writer ({@code fixtures/hl7/README.md}). Each expected value follows from the
 * standard's definitions, worked out here: a channel's value is (data value − baseline) × sensitivity ×
 * sensitivity correction factor, in the sensitivity's units; an IHE PCD-01 NA value is in OBX-6's unit.
 */
class Hl7StandardExamplesTest {

    private static final Hl7WaveformAdapter ADAPTER = new Hl7WaveformAdapter(new MdcLeadCodes());
    private static final List<Lead> I_II_III = List.of(StandardLead.I, StandardLead.II, StandardLead.III);

    /** The recording of the three-channel examples, as data values (digits) per channel. */
    private static final int[][] DIGITS = {
        {0, 10, 40, 120, 300, 80, -20, -10, 0, 5},
        {0, 20, 70, 200, 500, 150, -30, -20, 0, 10},
        {0, 10, 30, 80, 200, 70, -10, -10, 0, 5},
    };

    @Test
    void chapter7ChannelDefinitionTimingAndNumericArrays() throws IOException {
        EcgRecord record = read("chapter7-w01-cd-ts-na.hl7");
        EcgSignal s = record.signal();
        assertEquals(I_II_III, s.leads());
        assertEquals(200.0, s.samplingRateHz(), "CD-5 sampling frequency");
        assertEquals(10, s.length());
        // sensitivity 0.5 mV per digit, no calibration parameters: value = digit x 0.5 mV
        assertEquals(150.0, s.millivolts(0, 4), 1e-9, "lead I, sample 5: 300 digits");
        assertEquals(250.0, s.millivolts(1, 4), 1e-9, "lead II, sample 5: 500 digits");
        assertEquals(-5.0, s.millivolts(2, 6), 1e-9, "lead III, sample 7: -10 digits");
        assertDigitsTimes(s, 0.5);
        assertEquals("1990-03-24T10:00Z", record.acquisitionTime().orElseThrow().toString(),
                "OBR-7 (and the TIM OBX): 1990-03-24 10:00:00, no zone given (UTC)");
        assertEquals("1234", record.id(), "OBR-3 filler order number");
        assertEquals("Patient/4567890", record.subjectReference().orElseThrow());
    }

    @Test
    void chapter7StickyDefaultsAndAMultiplexedArrayCarryTheSameRecording() throws IOException {
        EcgSignal s = read("chapter7-w01-sticky-ma.hl7").signal();
        assertEquals(I_II_III, s.leads());
        // channels 2 and 3 give neither sensitivity nor frequency: channel 1's apply ("sticky defaults")
        assertEquals(200.0, s.samplingRateHz());
        assertDigitsTimes(s, 0.5);
        assertEquals(read("chapter7-w01-cd-ts-na.hl7").signal(), s, "the same recording as NA per channel");
    }

    @Test
    void chapter7CalibrationParametersApplyBaselineAndCorrectionFactor() throws IOException {
        EcgSignal s = read("chapter7-w01-calibrated.hl7").signal();
        assertEquals(List.of(StandardLead.II), s.leads());
        assertEquals(500.0, s.samplingRateHz());
        // (digit - 100) x 5 uV x 1.02
        double[] expected = {0.0, 1.02, 2.55, -1.02};
        for (int t = 0; t < expected.length; t++) {
            assertEquals(expected[t], s.millivolts(0, t), 1e-6, "sample " + (t + 1));
        }
    }

    @Test
    void ihePcd01NumericArraysWithMdcCodesAndUnits() throws IOException {
        EcgRecord record = read("pcd01-r01-na-mdc.hl7");
        EcgSignal s = record.signal();
        assertEquals(I_II_III, s.leads(), "131329, 131330, 131389: MDC_ECG_ELEC_POTL_I, _II, _III");
        assertEquals(500.0, s.samplingRateHz(), "MDC_ATTR_SAMP_RATE 500 per second");
        double[][] millivolts = {
            {0.05, 0.1, 0.25, 0.6, -0.15},      // 266418 MDC_DIM_MILLI_VOLT: as written
            {0.1, 0.25, 0.6, 1.5, -0.2},        // 266419 MDC_DIM_MICRO_VOLT: 100 uV = 0.1 mV ...
            {0.05, 0.15, 0.35, 0.9, -0.05},
        };
        for (int lead = 0; lead < 3; lead++) {
            for (int t = 0; t < 5; t++) {
                assertEquals(millivolts[lead][t], s.millivolts(lead, t), 1e-6, s.leads().get(lead) + " sample " + t);
            }
        }
        for (int t = 0; t < 5; t++) {
            assertEquals(s.millivolts(1, t), s.millivolts(0, t) + s.millivolts(2, t), 1e-6, "Einthoven, sample " + t);
        }
        assertEquals("2026-11-24T09:29:55Z", record.acquisitionTime().orElseThrow().toString());
    }

    @Test
    void aUnitWhoseCodeAndNameDisagreeIsRefusedRatherThanGuessed() throws IOException {
        String message = text("pcd01-r01-na-mdc.hl7").replace("266418^MDC_DIM_MILLI_VOLT", "266418^MDC_DIM_MICRO_VOLT");
        Hl7MessageException e = assertThrows(Hl7MessageException.class, () -> ADAPTER.read(message));
        assertTrue(e.getMessage().contains("OBX") && e.getMessage().contains("266418"), e.getMessage());
    }

    private static void assertDigitsTimes(EcgSignal s, double millivoltsPerDigit) {
        for (int lead = 0; lead < 3; lead++) {
            for (int t = 0; t < DIGITS[lead].length; t++) {
                assertEquals(DIGITS[lead][t] * millivoltsPerDigit, s.millivolts(lead, t), 1e-9,
                        s.leads().get(lead) + " sample " + (t + 1));
            }
        }
    }

    private static EcgRecord read(String name) throws IOException {
        return ADAPTER.read(text(name)).record();
    }

    private static String text(String name) throws IOException {
        try (InputStream in = Hl7StandardExamplesTest.class.getResourceAsStream("/fixtures/hl7/" + name)) {
            assertTrue(in != null, name + " on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).replace("\n", "\r");
        }
    }
}
