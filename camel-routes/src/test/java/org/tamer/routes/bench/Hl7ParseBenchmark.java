package org.tamer.routes.bench;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.validation.impl.ValidationContextFactory;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/**
 * HL7 v2 ECG messages read per second by {@link Hl7WaveformAdapter} (12 leads × 5000 samples, real PTB-XL records
 * 1–32), per waveform style, on one thread; and, for comparison, HAPI parsing the same PCD-01 message whole, which
 * is what the adapter avoids by lifting the sample arrays out first.
 *
 * <p>{@code mvn -B -q -pl camel-routes test-compile exec:java -Dexec.mainClass=org.tamer.routes.bench.Hl7ParseBenchmark
 * -Dexec.classpathScope=test}
 */
public final class Hl7ParseBenchmark {

    private Hl7ParseBenchmark() {
    }

    public static void main(String[] args) throws HL7Exception, IOException {
        PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
        List<EcgRecord> records = new ArrayList<>();
        for (int id = 1; id <= 32; id++) {
            records.add(archive.read(Integer.toString(id)));
        }
        ZonedDateTime sent = ZonedDateTime.of(2026, 11, 24, 12, 0, 0, 0, ZoneOffset.UTC);
        Hl7WaveformAdapter adapter = new Hl7WaveformAdapter(new MdcLeadCodes());
        System.out.println("| work (12 × 5000 samples, PTB-XL 1–32) | message kB | messages per second |");
        System.out.println("|---|---:|---:|");
        for (WaveformStyle style : WaveformStyle.values()) {
            Hl7WaveformWriter writer = new Hl7WaveformWriter(style, "2.5.1", WaveformScale.MICROVOLT, "B", "B");
            List<String> messages = new ArrayList<>();
            for (EcgRecord r : records) {
                messages.add(writer.write(r, "C" + r.id(), sent));
            }
            for (String m : messages) {
                adapter.read(m);
            }
            int rounds = 5;
            long start = System.nanoTime();
            for (int round = 0; round < rounds; round++) {
                for (String m : messages) {
                    adapter.read(m);
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("| Hl7WaveformAdapter.read, %s | %d | %.1f |%n", style,
                    messages.get(0).length() / 1024, rounds * messages.size() / seconds);
        }
        String pcd = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "B", "B")
                .write(records.get(0), "C1", sent);
        try (HapiContext hapi = new DefaultHapiContext()) {
            hapi.setValidationContext(ValidationContextFactory.noValidation());
            hapi.getPipeParser().parse(pcd);
            int rounds = 3;
            long start = System.nanoTime();
            for (int i = 0; i < rounds; i++) {
                hapi.getPipeParser().parse(pcd);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("| HAPI PipeParser.parse of the whole IHE_PCD_01 message (arrays not lifted) | %d | %.2f |%n",
                    pcd.length() / 1024, rounds / seconds);
        }
        adapter.close();
    }
}
