package org.tamer.routes.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/** Every defective message fails with the right kind of answer and names the field, and ACKs carry it. */
class MalformedHl7CorpusTest {

    private final EcgRecord record = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS)
            .read("21");
    private final Hl7WaveformAdapter adapter = new Hl7WaveformAdapter(new MdcLeadCodes());

    @Test
    void eachDefectIsNamed() {
        List<MalformedHl7Corpus.Case> cases = MalformedHl7Corpus.build(record, "BAD");
        assertTrue(cases.size() >= 40, "corpus size " + cases.size());
        assertEquals(cases.size(), new HashSet<>(cases.stream().map(MalformedHl7Corpus.Case::message).toList()).size(),
                "every case must differ from the others (a regex that did not match leaves a duplicate)");
        List<String> failures = new ArrayList<>();
        for (MalformedHl7Corpus.Case c : cases) {
            try {
                adapter.read(c.message());
                failures.add(c.name() + ": accepted");
            } catch (Hl7MessageException e) {
                if (e.isReject() != c.reject() || !e.location().startsWith(c.location())) {
                    failures.add(c.name() + ": got " + (e.isReject() ? "reject" : "error") + " at " + e.location()
                            + " (" + e.reason() + "), expected " + (c.reject() ? "reject" : "error") + " at "
                            + c.location());
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void theValidBaseMessagesAreAccepted() {
        for (WaveformStyle style : WaveformStyle.values()) {
            String message = new Hl7WaveformWriter(style, "2.5.1", WaveformScale.MICROVOLT, "CART", "WARD7")
                    .write(record, "OK", Hl7WaveformAdapterTest.SENT);
            assertEquals(record.id(), adapter.read(message).record().id());
        }
    }

    @Test
    void acksNameTheFieldInTheSendersVersionAndMode() {
        Hl7Acknowledgement acks = new Hl7Acknowledgement("TAMER", "GATEWAY");
        String message = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART",
                "WARD7").write(record, "C1", Hl7WaveformAdapterTest.SENT);
        String bad = message.replace("|131073^MDC_ECG_LEAD_I^MDC|", "|999999^X^MDC|");
        Hl7MessageException e = org.junit.jupiter.api.Assertions.assertThrows(Hl7MessageException.class,
                () -> adapter.read(bad));
        MessageHeader header = MessageHeader.read(bad);
        String ack = acks.acknowledge(header, Optional.of(e), "A1", Hl7WaveformAdapterTest.SENT).orElseThrow();
        String[] segments = ack.split("\r");
        assertTrue(segments[0].startsWith("MSH|^~\\&|TAMER|GATEWAY|CART|WARD7|20261124093000||ACK^R01^ACK|A1|P|2.5.1"),
                segments[0]);
        assertTrue(segments[1].startsWith("MSA|AE|C1|"), segments[1]);
        assertTrue(segments[2].startsWith("ERR||OBX^2^3|103^Table value not found^HL70357|E|"), segments[2]);
        assertTrue(segments[2].contains("999999"), segments[2]);

        String v23 = bad.replace("|P|2.5.1", "|P|2.3");
        String ack23 = acks.acknowledge(MessageHeader.read(v23), Optional.of(e), "A2", Hl7WaveformAdapterTest.SENT)
                .orElseThrow();
        assertTrue(ack23.contains("\rERR|OBX^2^3^103&Table value not found&HL70357\r"), ack23);

        String enhanced = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART",
                "WARD7").withAcknowledgementTypes("ER", "NE").write(record, "C2", Hl7WaveformAdapterTest.SENT);
        MessageHeader enhancedHeader = MessageHeader.read(enhanced);
        assertEquals(Optional.empty(), acks.acknowledge(enhancedHeader, Optional.empty(), "A3",
                Hl7WaveformAdapterTest.SENT), "ER: no commit ACK on success");
        String ce = acks.acknowledge(enhancedHeader, Optional.of(e), "A4", Hl7WaveformAdapterTest.SENT).orElseThrow();
        assertTrue(ce.contains("\rMSA|CE|C2|"), ce);
        MessageHeader always = MessageHeader.read(enhanced.replace("|||ER|NE", "|||AL|NE"));
        assertTrue(acks.acknowledge(always, Optional.empty(), "A5", Hl7WaveformAdapterTest.SENT).orElseThrow()
                .contains("\rMSA|CA|C2\r"));
        assertNotEquals(Optional.empty(), acks.acknowledge(MessageHeader.UNREADABLE,
                Optional.of(Hl7MessageException.reject("MSH", Hl7Error.SEGMENT_SEQUENCE_ERROR, "x")), "A6",
                Hl7WaveformAdapterTest.SENT));
    }
}
