package org.tamer.gateway.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.routes.mllp.MllpClient;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/** HL7 v2 ECG messages built from real PTB-XL recordings, each with its own record id, and an MLLP sender. */
final class EcgMessages {

    static final ZonedDateTime SENT = ZonedDateTime.of(2026, 11, 24, 12, 0, 0, 0, ZoneOffset.UTC);
    private static final PtbXlArchive ARCHIVE = new PtbXlArchive(SharedData.ptbXl(), true,
            ReportLanguage.ENGLISH_STATEMENTS);

    private EcgMessages() {
    }

    static EcgRecord record(int ecgId) {
        return ARCHIVE.read(Integer.toString(ecgId));
    }

    /** {@code count} messages (control id → text) cycling over PTB-XL records 1..40 and the three styles. */
    static Map<String, String> build(String prefix, int count) {
        Map<String, String> messages = new LinkedHashMap<>();
        List<EcgRecord> records = new ArrayList<>();
        for (int id = 1; id <= 40; id++) {
            records.add(record(id));
        }
        WaveformStyle[] styles = WaveformStyle.values();
        for (int i = 0; i < count; i++) {
            EcgRecord base = records.get(i % records.size());
            EcgRecord record = new EcgRecord(prefix + "-" + i + "-" + base.id(), base.subjectReference(),
                    base.encounterReference(), base.acquisitionTime(), base.signal(), base.reportText(), base.source());
            String controlId = prefix + i;
            messages.put(controlId, new Hl7WaveformWriter(styles[i % styles.length], "2.5.1", WaveformScale.MICROVOLT,
                    "IT-CART", "IT-WARD").write(record, controlId, SENT));
        }
        return messages;
    }

    /** Sends one message on a new connection and returns the reply. */
    static String send(int port, String message) throws IOException {
        try (MllpClient client = MllpClient.connect("127.0.0.1", port, null, Duration.ofSeconds(60),
                StandardCharsets.ISO_8859_1)) {
            return client.send(message);
        }
    }

    /** MSA-1 of a reply. */
    static String ackCode(String reply) {
        for (String segment : reply.split("\r")) {
            if (segment.startsWith("MSA|")) {
                return segment.split("\\|", -1)[1];
            }
        }
        throw new AssertionError("no MSA in " + reply);
    }
}
