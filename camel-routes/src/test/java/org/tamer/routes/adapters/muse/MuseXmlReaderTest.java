package org.tamer.routes.adapters.muse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.PtbXlRaw;

/**
 * No public GE MUSE XML sample exists, so the fixture is written here from a real PTB-XL record (ecg_id 11)
 * following MUSE's documented RestingECG structure: eight stored leads (I, II, V1–V6) at 1 µV per bit, a median
 * waveform before the rhythm waveform, and Diagnosis statements.
 */
class MuseXmlReaderTest {

    private static final List<StandardLead> STORED = List.of(StandardLead.I, StandardLead.II, StandardLead.V1,
            StandardLead.V2, StandardLead.V3, StandardLead.V4, StandardLead.V5, StandardLead.V6);

    private final MuseXmlReader reader = new MuseXmlReader();

    @Test
    void readsStoredLeadsExactlyAndDerivesTheLimbLeads() {
        float[][] ptbXl = PtbXlRaw.millivolts(11, true);
        EcgRecord record = reader.read(museXml(ptbXl, true).getBytes(StandardCharsets.UTF_8), "muse.xml");
        EcgSignal s = record.signal();
        assertEquals(StandardLead.CANONICAL_ORDER, s.leads());
        assertEquals(500.0, s.samplingRateHz());
        for (StandardLead lead : STORED) {
            int index = lead.ordinal();
            assertTrue(java.util.Arrays.equals(ptbXl[index], s.copyOfLead(index)), "stored lead " + lead);
        }
        for (int t = 0; t < s.length(); t++) {
            assertEquals(s.millivolts(1, t) - s.millivolts(0, t), s.millivolts(2, t), 1e-6f);
            assertEquals(-(s.millivolts(0, t) + s.millivolts(1, t)) / 2, s.millivolts(3, t), 1e-6f);
        }
        // PTB-XL's own III satisfies Einthoven's law up to rounding: the derived III must be close to it
        double worst = 0;
        for (int t = 0; t < s.length(); t++) {
            worst = Math.max(worst, Math.abs(s.millivolts(2, t) - ptbXl[2][t]));
        }
        assertTrue(worst < 0.01, "derived III differs from the recorded one by " + worst + " mV");
        assertEquals("Sinus rhythm. Left ventricular hypertrophy.", record.reportText().orElseThrow());
        assertEquals("MAC55", record.source().device().orElseThrow());
        assertEquals("1984-11-29T08:30:12Z", record.acquisitionTime().orElseThrow().toString());
    }

    @Test
    void detectsACorruptWaveformByItsCrc() {
        String xml = museXml(PtbXlRaw.millivolts(11, true), true);
        int at = xml.indexOf("<WaveFormData>", xml.indexOf("<LeadID>V2</LeadID>") - 2000) + "<WaveFormData>".length();
        char original = xml.charAt(at + 10);
        String corrupt = xml.substring(0, at + 10) + (original == 'A' ? 'B' : 'A') + xml.substring(at + 11);
        EcgFormatException e = assertThrows(EcgFormatException.class,
                () -> reader.read(corrupt.getBytes(StandardCharsets.UTF_8), "muse.xml"));
        assertTrue(e.field().endsWith("/LeadDataCRC32"), e.getMessage());
    }

    /** A MUSE RestingECG document holding the record's leads I, II and V1–V6. */
    static String museXml(float[][] mv, boolean withMedian) {
        StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<RestingECG>\n");
        x.append(" <MuseInfo><MuseVersion>9.0.0</MuseVersion></MuseInfo>\n");
        x.append(" <PatientDemographics><PatientID>PTBXL11</PatientID></PatientDemographics>\n");
        x.append(" <TestDemographics><AcquisitionDevice>MAC55</AcquisitionDevice>")
                .append("<AcquisitionDate>11-29-1984</AcquisitionDate><AcquisitionTime>08:30:12</AcquisitionTime>")
                .append("</TestDemographics>\n");
        x.append(" <Diagnosis><Modality>RESTING</Modality>")
                .append("<DiagnosisStatement><StmtFlag>ENDSLINE</StmtFlag><StmtText>Sinus rhythm</StmtText></DiagnosisStatement>")
                .append("<DiagnosisStatement><StmtFlag>ENDSLINE</StmtFlag><StmtText>Left ventricular hypertrophy</StmtText>")
                .append("</DiagnosisStatement></Diagnosis>\n");
        if (withMedian) {
            x.append(" <Waveform><WaveformType>Median</WaveformType><SampleBase>500</SampleBase>")
                    .append(leadData("I", java.util.Arrays.copyOf(mv[0], 600))).append("</Waveform>\n");
        }
        x.append(" <Waveform><WaveformType>Rhythm</WaveformType><WaveformStartTime>0</WaveformStartTime>")
                .append("<NumberofLeads>8</NumberofLeads><SampleType>CONTINUOUS_SAMPLES</SampleType>")
                .append("<SampleBase>500</SampleBase><SampleExponent>0</SampleExponent>\n");
        for (StandardLead lead : STORED) {
            x.append(leadData(lead.label(), mv[lead.ordinal()]));
        }
        x.append(" </Waveform>\n</RestingECG>\n");
        return x.toString();
    }

    private static String leadData(String id, float[] mv) {
        ByteBuffer bytes = ByteBuffer.allocate(mv.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : mv) {
            bytes.putShort((short) Math.round(v * 1000)); // 1 µV per bit; PTB-XL is stored at 1 µV
        }
        CRC32 crc = new CRC32();
        crc.update(bytes.array());
        return "  <LeadData><LeadByteCountTotal>" + mv.length * 2 + "</LeadByteCountTotal>"
                + "<LeadSampleCountTotal>" + mv.length + "</LeadSampleCountTotal>"
                + "<LeadAmplitudeUnitsPerBit>1</LeadAmplitudeUnitsPerBit>"
                + "<LeadAmplitudeUnits>MICROVOLTS</LeadAmplitudeUnits><LeadID>" + id + "</LeadID>"
                + "<LeadSampleSize>2</LeadSampleSize><LeadDataCRC32>" + crc.getValue() + "</LeadDataCRC32>"
                + "<WaveFormData>" + Base64.getMimeEncoder().encodeToString(bytes.array()) + "</WaveFormData>"
                + "</LeadData>\n";
    }
}
