package org.tamer.routes.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.testdata.SharedData;

/** HL7 v2 waveform messages written from real PTB-XL records and read back. */
class Hl7WaveformAdapterTest {

    static final ZonedDateTime SENT = ZonedDateTime.of(2026, 11, 24, 9, 30, 0, 0, ZoneOffset.UTC);

    private static final PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
    private static final Hl7WaveformAdapter adapter = new Hl7WaveformAdapter(new MdcLeadCodes());

    @ParameterizedTest
    @EnumSource(WaveformStyle.class)
    void everyStyleCarriesTheRecordExactlyAtMicrovoltResolution(WaveformStyle style) {
        for (String key : List.of("1", "17", "250", "499")) {
            EcgRecord record = archive.read(key);
            String message = new Hl7WaveformWriter(style, "2.5.1", WaveformScale.MICROVOLT, "CART", "WARD7")
                    .write(record, "MSG" + key, SENT);
            EcgRecord read = adapter.read(message).record();
            assertEquals(record.id(), read.id());
            assertEquals(record.subjectReference(), read.subjectReference());
            assertEquals(record.reportText(), read.reportText());
            assertEquals(record.signal().leads(), read.signal().leads());
            assertEquals(500.0, read.signal().samplingRateHz());
            assertSignalsEqual(record.signal(), read.signal(), 1e-6);
        }
    }

    @Test
    void tenMillivoltsOver4096IsReadWithinHalfADigit() {
        EcgRecord record = archive.read("42");
        String message = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.6", WaveformScale.TEN_MILLIVOLTS_PER_4096,
                "CART", "WARD7").write(record, "X1", SENT);
        assertTrue(message.contains("|10.mV/4096^"));
        EcgSignal read = adapter.read(message).record().signal();
        assertSignalsEqual(record.signal(), read, 10.0 / 4096 / 2 + 1e-6);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.3", "2.3.1", "2.4", "2.5", "2.6", "2.7", "2.7.1", "2.8", "2.8.1"})
    void readsEveryVersionFrom23To28(String version) {
        EcgRecord record = archive.read("3");
        String message = new Hl7WaveformWriter(WaveformStyle.CHAPTER_7_MULTIPLEXED, version, WaveformScale.MICROVOLT,
                "CART", "WARD7").write(record, "V" + version, SENT);
        Hl7Ecg read = adapter.read(message);
        assertEquals(version, read.header().version());
        assertSignalsEqual(record.signal(), read.record().signal(), 1e-6);
    }

    @Test
    void readsTheWaveformResultEventW01() {
        EcgRecord record = archive.read("5");
        String message = new Hl7WaveformWriter(WaveformStyle.CHAPTER_7_MULTIPLEXED, "2.4", WaveformScale.MICROVOLT,
                "CART", "WARD7").write(record, "W1", SENT).replace("ORU^R01^ORU_R01", "ORU^W01");
        Hl7Ecg read = adapter.read(message);
        assertEquals("W01", read.header().triggerEvent());
        assertSignalsEqual(record.signal(), read.record().signal(), 1e-6);
    }

    @Test
    void missingSamplesBecomeNaN() {
        EcgRecord record = archive.read("8");
        String message = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.6", WaveformScale.MICROVOLT, "CART",
                "WARD7").write(record, "N1", SENT);
        int lead = message.indexOf("|131075^MDC_ECG_LEAD_V1^MDC|");
        int start = message.indexOf('|', message.indexOf('|', lead + 1) + 1) + 1;
        int firstSep = message.indexOf('^', start);
        String holed = message.substring(0, start) + message.substring(firstSep);
        EcgSignal read = adapter.read(holed).record().signal();
        int v1 = read.leads().indexOf(org.tamer.runtime.ecg.StandardLead.V1);
        assertTrue(Float.isNaN(read.millivolts(v1, 0)));
        assertEquals(1, read.missingSampleCount());
    }

    @Test
    void enhancedModeFieldsAreRead() {
        EcgRecord record = archive.read("9");
        String message = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART",
                "WARD7").withAcknowledgementTypes("AL", "NE").write(record, "E1", SENT);
        MessageHeader header = adapter.read(message).header();
        assertTrue(header.enhancedMode());
        assertEquals("AL", header.acceptAckType().orElseThrow());
        assertEquals("NE", header.applicationAckType().orElseThrow());
        assertFalse(MessageHeader.read(message.replace("|||AL|NE", "")).enhancedMode());
    }

    static void assertSignalsEqual(EcgSignal expected, EcgSignal actual, double tolerance) {
        assertEquals(expected.leadCount(), actual.leadCount());
        assertEquals(expected.length(), actual.length());
        for (int c = 0; c < expected.leadCount(); c++) {
            for (int t = 0; t < expected.length(); t++) {
                float e = expected.millivolts(c, t);
                float a = actual.millivolts(c, t);
                if (Math.abs(e - a) > tolerance) {
                    throw new AssertionError("lead " + expected.leads().get(c) + " sample " + t + ": " + e + " != " + a);
                }
            }
        }
    }
}
