package org.tamer.routes.adapters.dicom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.SharedData;

class DicomWaveformReaderTest {

    private final DicomWaveformReader reader = new DicomWaveformReader();

    @Test
    void readsTheRhythmGroupOfARealTwelveLeadFile() {
        EcgRecord record = reader.read(SharedData.file("formats/dicom-waveform_ecg.dcm"));
        EcgSignal s = record.signal();
        assertEquals(StandardLead.CANONICAL_ORDER, s.leads());
        assertEquals(1000.0, s.samplingRateHz());
        assertEquals(10_000, s.length());
        double worst = 0;
        double peak = 0;
        for (int t = 0; t < s.length(); t++) {
            worst = Math.max(worst, Math.abs(s.millivolts(0, t) + s.millivolts(2, t) - s.millivolts(1, t)));
            peak = Math.max(peak, Math.abs(s.millivolts(1, t)));
        }
        assertTrue(worst < 0.01, "Einthoven's law violated by " + worst + " mV");
        assertTrue(peak > 0.3 && peak < 5, "lead II peak " + peak + " mV");
        assertEquals("RITMO SINUSALE. ECG NORMALE.", record.reportText().orElseThrow());
        assertEquals("Mortara Instrument, Inc. el250", record.source().device().orElseThrow());
        assertEquals("2013-01-25T10:59:19Z", record.acquisitionTime().orElseThrow().toString());
    }

    /**
     * Absolute values against an independent decoder: pydicom 2.3.1's {@code waveform_array} (sensitivity,
     * baseline and correction factor applied), written by {@code fixtures/dicom/make-dicom-fixture.py}: every
     * 50th sample and each lead's extremes, to 0.1 µV. A gain error (a sensitivity read from the wrong element,
     * units taken as mV, a missing correction factor) shows as a factor on every value.
     */
    @Test
    void sampleValuesEqualAnIndependentDecoder() throws IOException {
        EcgSignal s = reader.read(SharedData.file("formats/dicom-waveform_ecg.dcm")).signal();
        java.util.List<String> lines;
        try (var in = DicomWaveformReaderTest.class.getResourceAsStream(
                "/fixtures/dicom/dicom-waveform-ecg-pydicom.tsv")) {
            assertTrue(in != null, "the pydicom fixture on the test class path");
            lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.startsWith("#") && !l.startsWith("lead\t")).toList();
        }
        assertEquals(12 * (2 + 200), lines.size());
        java.util.List<String> wrong = new java.util.ArrayList<>();
        for (String line : lines) {
            String[] f = line.split("\t");
            String label = f[0].replace("Lead ", "").replace(" (Einthoven)", "");
            StandardLead lead = java.util.Arrays.stream(StandardLead.values())
                    .filter(l -> l.label().equals(label)).findFirst().orElseThrow(() -> new AssertionError(label));
            assertEquals("uV", f[1], "pydicom's units of " + label);
            double expectedMv = Double.parseDouble(f[3]) / 1000;
            int index = s.indexOf(lead).orElseThrow();
            double actual;
            if (f[2].equals("min") || f[2].equals("max")) {
                float[] samples = s.copyOfLead(index);
                double extreme = f[2].equals("min") ? Double.MAX_VALUE : -Double.MAX_VALUE;
                for (float v : samples) {
                    extreme = f[2].equals("min") ? Math.min(extreme, v) : Math.max(extreme, v);
                }
                actual = extreme;
            } else {
                actual = s.millivolts(index, Integer.parseInt(f[2]));
            }
            if (Math.abs(actual - expectedMv) > 1e-4) {
                wrong.add(label + " " + f[2] + ": pydicom " + expectedMv + " mV, read " + actual + " mV");
            }
        }
        assertEquals(java.util.List.of(), wrong);
    }

    @Test
    void readsTheSameDataInImplicitVrLittleEndian() throws IOException {
        byte[] explicit = Files.readAllBytes(SharedData.file("formats/dicom-waveform_ecg.dcm"));
        EcgRecord fromExplicit = reader.read(explicit, "explicit.dcm");
        EcgRecord fromImplicit = reader.read(ImplicitVrWriter.convert(explicit), "implicit.dcm");
        assertEquals(fromExplicit.signal(), fromImplicit.signal());
        assertEquals(fromExplicit.reportText(), fromImplicit.reportText());
    }

    @Test
    void namesTheElementThatIsWrong() throws IOException {
        byte[] bytes = Files.readAllBytes(SharedData.file("formats/dicom-waveform_ecg.dcm"));
        EcgFormatException truncated = assertThrows(EcgFormatException.class,
                () -> reader.read(java.util.Arrays.copyOf(bytes, bytes.length - 20_000), "cut.dcm"));
        assertTrue(truncated.reason().contains("truncated"), truncated.getMessage());

        byte[] ct = bytes.clone();
        String text = new String(ct, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("1.2.840.10008.5.1.4.1.1.9.1.1", 300); // (0008,0016) in the data set
        byte[] other = "1.2.840.10008.5.1.4.1.1.2\0\0\0\0".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(other, 0, ct, at, other.length);
        EcgFormatException sop = assertThrows(EcgFormatException.class, () -> reader.read(ct, "ct.dcm"));
        assertEquals("(0008,0016) SOPClassUID", sop.field());

        EcgFormatException notDicom = assertThrows(EcgFormatException.class,
                () -> reader.read(new byte[200], "zeros.dcm"));
        assertEquals("no 'DICM' at byte 128: not a DICOM Part 10 file", notDicom.reason());
    }

    /** Re-encodes an explicit VR little endian file as implicit VR little endian (written for this test). */
    static final class ImplicitVrWriter {
        private static final Set<String> LONG = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN",
                "UR", "UT", "UV");

        static byte[] convert(byte[] in) {
            ByteArrayOutputStream meta = new ByteArrayOutputStream();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            int p = 132;
            while (u16(in, p) == 0x0002) {
                int element = u16(in, p + 2);
                String vr = new String(in, p + 4, 2, StandardCharsets.US_ASCII);
                int headerLength = LONG.contains(vr) ? 12 : 8;
                int length = LONG.contains(vr) ? (int) u32(in, p + 8) : u16(in, p + 6);
                byte[] value = java.util.Arrays.copyOfRange(in, p + headerLength, p + headerLength + length);
                if (element == 0x0010) {
                    value = "1.2.840.10008.1.2\0".getBytes(StandardCharsets.US_ASCII);
                }
                if (element != 0x0000) {
                    writeExplicit(meta, 0x0002, element, vr, value);
                }
                p += headerLength + length;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(in, 0, 132);
            writeExplicit(out, 0x0002, 0x0000, "UL", le32(meta.size()));
            out.write(meta.toByteArray(), 0, meta.size());
            while (p < in.length) {
                int group = u16(in, p);
                int element = u16(in, p + 2);
                if (group == 0xFFFE) {
                    body.write(in, p, 8); // item and delimiter tags are the same in both syntaxes
                    p += 8;
                    continue;
                }
                String vr = new String(in, p + 4, 2, StandardCharsets.US_ASCII);
                int headerLength = LONG.contains(vr) ? 12 : 8;
                long length = LONG.contains(vr) ? u32(in, p + 8) : u16(in, p + 6);
                body.write(le16(group), 0, 2);
                body.write(le16(element), 0, 2);
                body.write(le32(length), 0, 4);
                p += headerLength;
                if (!vr.equals("SQ") && length != 0xFFFFFFFFL) {
                    body.write(in, p, (int) length);
                    p += (int) length;
                }
            }
            out.write(body.toByteArray(), 0, body.size());
            return out.toByteArray();
        }

        private static void writeExplicit(ByteArrayOutputStream out, int group, int element, String vr, byte[] v) {
            out.write(le16(group), 0, 2);
            out.write(le16(element), 0, 2);
            out.write(vr.getBytes(StandardCharsets.US_ASCII), 0, 2);
            if (LONG.contains(vr)) {
                out.write(new byte[2], 0, 2);
                out.write(le32(v.length), 0, 4);
            } else {
                out.write(le16(v.length), 0, 2);
            }
            out.write(v, 0, v.length);
        }

        private static int u16(byte[] b, int p) {
            return (b[p] & 0xff) | (b[p + 1] & 0xff) << 8;
        }

        private static long u32(byte[] b, int p) {
            return (long) (b[p] & 0xff) | (long) (b[p + 1] & 0xff) << 8 | (long) (b[p + 2] & 0xff) << 16
                    | (long) (b[p + 3] & 0xff) << 24;
        }

        private static byte[] le16(int v) {
            return new byte[] {(byte) v, (byte) (v >> 8)};
        }

        private static byte[] le32(long v) {
            return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
        }
    }
}
