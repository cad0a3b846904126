package org.tamer.routes.hl7;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/**
 * HL7 v2 messages written from a real PTB-XL record with hostile additions. The observed case: a TX OBX of 60,000
 * components took 52 s before the ACK (HAPI's composite parsing, outside the NA/MA fast path). It is refused before
 * HAPI sees it, with an AE naming the segment, the field and the limit.
 */
class Hl7DecoderLimitsTest {

    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 11, 24, 9, 30, 0, 0, ZoneOffset.UTC);
    private static final PtbXlArchive ARCHIVE = new PtbXlArchive(SharedData.ptbXl(), true,
            ReportLanguage.ENGLISH_STATEMENTS);

    private final Hl7WaveformAdapter adapter = new Hl7WaveformAdapter(new MdcLeadCodes());

    @Test
    void aTxObxOfSixtyThousandComponentsIsRefusedBeforeHapiParsesIt() {
        String message = pcd01() + "OBX|99|TX|18842-5^Discharge summary^LN||" + "x^".repeat(60_000) + "x\r";
        long start = System.nanoTime();
        Hl7MessageException e = assertThrows(Hl7MessageException.class, () -> adapter.read(message));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertFalse(e.isReject(), "an error in the content: AE");
        assertEquals(Hl7Error.DATA_TYPE_ERROR, e.error());
        assertTrue(e.location().matches("OBX\\[\\d+]-5"), e.location());
        assertEquals(obxCount(message), Integer.parseInt(e.location().replaceAll("OBX\\[(\\d+)]-5", "$1")));
        assertTrue(e.reason().contains("more than 1000 components") && e.reason().contains(
                "tamer.decoder.max-field-components"), e.reason());
        // only bounds a hang: HAPI took 52 s on this message
        assertTrue(took.toSeconds() < 20, "took " + took);
        String ack = new Hl7Acknowledgement("TAMER", "HOSPITAL").acknowledge(MessageHeader.read(message),
                Optional.of(e), "ACK1", SENT).orElseThrow();
        assertTrue(ack.contains("\rMSA|AE|MSG1|"), ack);
        assertTrue(ack.contains("tamer.decoder.max-field-components"), ack);
    }

    @Test
    void repetitionsAndSubcomponentsCountToo() {
        String repetitions = pcd01() + "OBX|99|ST|8601-7^EKG impression^LN||" + "a~".repeat(2_000) + "a\r";
        assertTrue(assertThrows(Hl7MessageException.class, () -> adapter.read(repetitions)).reason()
                .contains("tamer.decoder.max-field-components"));
        String subcomponents = pcd01().replaceFirst("\rPID\\|([^|]*)\\|([^|]*)\\|", "\rPID|$1|$2|"
                + "1&".repeat(2_000).replace("\\", "\\\\") + "|");
        Hl7MessageException e = assertThrows(Hl7MessageException.class, () -> adapter.read(subcomponents));
        assertEquals("PID-3", e.location());
    }

    @Test
    void sampleArraysBeyondTheLimitsAreRefusedBeforeTheyAreSplit() {
        DecoderLimits small = new DecoderLimits(64L << 20, 64, 4_000, 16_000_000L, 32, 200_000, 1_000, 1_000_000);
        Hl7MessageException e = assertThrows(Hl7MessageException.class,
                () -> new Hl7WaveformAdapter(new MdcLeadCodes(), small).read(pcd01()));
        assertEquals(Hl7Error.DATA_TYPE_ERROR, e.error());
        assertTrue(e.location().matches("OBX\\[\\d+]-5"), e.location());
        assertTrue(e.reason().contains("5000 samples per lead") && e.reason().contains(
                "tamer.decoder.max-samples-per-lead"), e.reason());
        DecoderLimits fewSamples = new DecoderLimits(64L << 20, 64, 1_000_000, 30_000L, 32, 200_000, 1_000,
                1_000_000);
        assertTrue(assertThrows(Hl7MessageException.class, () -> new Hl7WaveformAdapter(new MdcLeadCodes(),
                fewSamples).read(pcd01())).reason().contains("tamer.decoder.max-total-samples"));
    }

    @Test
    void theRealMessageIsWithinTheDefaultLimits() {
        assertEquals(12, adapter.read(pcd01()).record().signal().leadCount());
    }

    private static String pcd01() {
        EcgRecord record = ARCHIVE.read("1");
        return new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART", "WARD7")
                .write(record, "MSG1", SENT);
    }

    private static int obxCount(String message) {
        int count = 0;
        for (String segment : message.split("\r")) {
            if (segment.startsWith("OBX|")) {
                count++;
            }
        }
        return count;
    }
}
