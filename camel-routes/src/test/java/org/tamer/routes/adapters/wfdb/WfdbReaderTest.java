package org.tamer.routes.adapters.wfdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.OtherLead;
import org.tamer.runtime.ecg.StandardLead;
import org.tamer.runtime.testdata.PtbXlRaw;
import org.tamer.runtime.testdata.SharedData;

class WfdbReaderTest {

    private final WfdbReader reader = new WfdbReader();

    @Test
    void readsAllFiveHundredPtbXlRecordsAtBothRatesExactly() {
        for (int id : SharedData.ptbXlIds()) {
            for (boolean high : new boolean[] {true, false}) {
                EcgSignal signal = reader.read(SharedData.ptbXlHeader(id, high)).ecg().signal();
                assertEquals(StandardLead.CANONICAL_ORDER, signal.leads(), "record " + id);
                assertEquals(high ? 500.0 : 100.0, signal.samplingRateHz());
                assertEquals(high ? 5000 : 1000, signal.length());
                // An independent decoding of the .dat file (see PtbXlRaw) must agree to the bit.
                float[][] raw = PtbXlRaw.millivolts(id, high);
                for (int lead = 0; lead < 12; lead++) {
                    assertArrayEquals(raw[lead], signal.copyOfLead(lead), "record " + id + " lead " + lead);
                }
            }
        }
    }

    @Test
    void readsTheOriginalPtbRecordWithFrankLeadsAndDiagnosis() {
        WfdbRecord record = reader.read(SharedData.file("formats/wfdb-ptb/s0010_re.hea"));
        EcgSignal signal = record.ecg().signal();
        assertEquals(15, signal.leadCount());
        assertEquals(1000.0, signal.samplingRateHz());
        assertEquals(38_400, signal.length());
        List<Lead> leads = signal.leads();
        assertEquals(StandardLead.CANONICAL_ORDER, leads.subList(0, 12));
        assertEquals(List.of(new OtherLead("vx"), new OtherLead("vy"), new OtherLead("vz")), leads.subList(12, 15));
        // initial values from the header divided by the gain of 2000 ADC units per mV
        assertEquals(-489 / 2000f, signal.millivolts(0, 0));
        assertEquals(-3 / 2000f, signal.millivolts(12, 0));
        EcgRecord ecg = record.ecg();
        assertEquals("s0010_re", ecg.id());
        assertEquals("Reason for admission: Myocardial infarction. Acute infarction (localization): "
                + "infero-latera. Additional diagnoses: Diabetes mellitus.", ecg.reportText().orElseThrow());
        assertEquals(OffsetDateTime.parse("1990-10-01T00:00:00Z"), ecg.acquisitionTime().orElseThrow());
        assertEquals("81", record.comments().field("age").orElseThrow());
    }

    @Test
    void readsFormat212WrittenFromARealRecord(@TempDir Path dir) throws IOException {
        float[][] mv = PtbXlRaw.millivolts(12, true);
        int[][] adc = new int[12][5000];
        for (int lead = 0; lead < 12; lead++) {
            for (int t = 0; t < 5000; t++) {
                adc[lead][t] = Math.round(mv[lead][t] * 250); // gain 250/mV keeps PTB-XL within 12 bits
            }
        }
        adc[7][42] = -2048; // the format's invalid-sample marker
        writeRecord(dir, "rec212", 212, 250, adc);
        EcgSignal signal = reader.read(dir.resolve("rec212.hea")).ecg().signal();
        for (int lead = 0; lead < 12; lead++) {
            for (int t = 0; t < 5000; t++) {
                float expected = lead == 7 && t == 42 ? Float.NaN : adc[lead][t] / 250f;
                assertEquals(expected, signal.millivolts(lead, t), "lead " + lead + " sample " + t);
            }
        }
        assertEquals(1, signal.missingSampleCount());
    }

    @Test
    void refusesATruncatedSignalFileNamingIt(@TempDir Path dir) throws IOException {
        copyPtbXl(1, dir);
        Path dat = dir.resolve("00001_hr.dat");
        byte[] bytes = Files.readAllBytes(dat);
        Files.write(dat, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> reader.read(dir.resolve("00001_hr.hea")));
        assertTrue(e.file().endsWith("00001_hr.dat"), e.file());
        assertEquals("samples", e.field());
        assertTrue(e.reason().contains("declares 5000 samples per signal but the file holds only 4995"), e.reason());
    }

    @Test
    void refusesASignalFileThatDoesNotMatchTheChecksums(@TempDir Path dir) throws IOException {
        copyPtbXl(1, dir);
        Path dat = dir.resolve("00001_hr.dat");
        byte[] bytes = Files.readAllBytes(dat);
        bytes[24 * 100 + 2 * 3] ^= 0x10; // one sample of lead aVR
        Files.write(dat, bytes);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> reader.read(dir.resolve("00001_hr.hea")));
        assertEquals("signal 4 (AVR): checksum", e.field());
        assertTrue(e.reason().startsWith("header says 53190 but the samples sum to"), e.reason());
    }

    @Test
    void namesMissingFilesAndMalformedHeaderFields(@TempDir Path dir) throws IOException {
        copyPtbXl(1, dir);
        Files.delete(dir.resolve("00001_hr.dat"));
        EcgFormatException missing = assertThrows(EcgFormatException.class,
                () -> reader.read(dir.resolve("00001_hr.hea")));
        assertEquals("00001_hr.dat", missing.field());
        assertTrue(missing.reason().startsWith("file not found"), missing.reason());

        assertHeaderError(dir, "bad 1 500 10\nbad.dat 16 abc/mV 16 0 0 0 0 I\n", "signal 1: gain", "cannot read 'abc/mV'");
        assertHeaderError(dir, "bad 2 500 10\nbad.dat 16 1000/mV 16 0 0 0 0 I\n", "signal lines",
                "record line declares 2 signals but 1 signal lines follow");
        assertHeaderError(dir, "multi/3 1 500 10\n", "record line",
                "multi-segment record 'multi/3' is not supported; read its segments as separate records");
        assertHeaderError(dir, "bad 1 500 10\nbad.dat 8 1000/mV 16 0 0 0 0 I\n", "format",
                "storage format 8 is not supported (supported: 16, 212)");
        assertHeaderError(dir, "bad 1 500 10\nbad.dat 16 1000/mmHg 16 0 0 0 0 I\n", "signal 1 (I): units",
                "'mmHg' is not a voltage unit");
        assertHeaderError(dir, "bad 1 x500 10\n", "record line: sampling frequency", "cannot read 'x500'");
    }

    private void assertHeaderError(Path dir, String header, String field, String reason) throws IOException {
        Files.writeString(dir.resolve("bad.hea"), header);
        Files.write(dir.resolve("bad.dat"), new byte[20]);
        EcgFormatException e = assertThrows(EcgFormatException.class, () -> reader.read(dir.resolve("bad.hea")));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(reason, e.reason());
    }

    private static void copyPtbXl(int id, Path dir) throws IOException {
        Path header = SharedData.ptbXlHeader(id, true);
        Files.copy(header, dir.resolve(header.getFileName()));
        String dat = header.getFileName().toString().replace(".hea", ".dat");
        Files.copy(header.resolveSibling(dat), dir.resolve(dat));
    }

    /** Writes a WFDB record with an independent encoder (format 16 or 212) and a header with checksums. */
    static void writeRecord(Path dir, String name, int format, double gain, int[][] adc) throws IOException {
        int leads = adc.length;
        int n = adc[0].length;
        byte[] data;
        if (format == 16) {
            ByteBuffer out = ByteBuffer.allocate(leads * n * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int t = 0; t < n; t++) {
                for (int[] lead : adc) {
                    out.putShort((short) lead[t]);
                }
            }
            data = out.array();
        } else {
            int total = leads * n;
            data = new byte[(total + 1) / 2 * 3];
            for (int i = 0; i < total; i += 2) {
                int a = adc[i % leads][i / leads] & 0xfff;
                int b = i + 1 < total ? adc[(i + 1) % leads][(i + 1) / leads] & 0xfff : 0;
                data[i / 2 * 3] = (byte) a;
                data[i / 2 * 3 + 1] = (byte) (((a >> 8) & 0x0f) | ((b >> 4) & 0xf0));
                data[i / 2 * 3 + 2] = (byte) b;
            }
        }
        Files.write(dir.resolve(name + ".dat"), data);
        StringBuilder header = new StringBuilder(name + " " + leads + " 500 " + n + "\n");
        for (int lead = 0; lead < leads; lead++) {
            int sum = 0;
            for (int v : adc[lead]) {
                sum += v;
            }
            header.append(name).append(".dat ").append(format).append(' ').append(gain).append("(0)/mV 12 0 ")
                    .append(adc[lead][0]).append(' ').append((short) sum).append(" 0 ")
                    .append(StandardLead.CANONICAL_ORDER.get(lead).label()).append('\n');
        }
        Files.writeString(dir.resolve(name + ".hea"), header, StandardCharsets.US_ASCII);
    }
}
