package org.tamer.routes.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.BeforeAll;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7MessageException;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.routes.hl7.MessageHeader;

/**
 * HL7 v2 waveform messages (envelope, HAPI parsing, chapter 7 and PCD-01 waveforms) and the ACK built for each:
 * only {@link Hl7MessageException} may come out of the reader, and every message, read or not, gets an ACK that
 * begins with MSH and carries an MSA segment with one of the six acknowledgement codes.
 */
class Hl7WaveformFuzzTest {

    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 12, 6, 2, 0, 0, 0, ZoneOffset.UTC);

    private static final Hl7WaveformAdapter ADAPTER = new Hl7WaveformAdapter(new MdcLeadCodes(),
            FuzzSupport.LIMITS);
    private static final Hl7Acknowledgement ACKNOWLEDGEMENT = new Hl7Acknowledgement("TAMER", "GATEWAY");

    @BeforeAll
    static void warmUp() {
        FuzzSupport.warmUp(Hl7WaveformFuzzTest.class, "readAndAcknowledge",
                input -> new Hl7WaveformFuzzTest().readAndAcknowledge(input));
    }

    @FuzzTest(maxDuration = FuzzBudget.CI)
    void readAndAcknowledge(byte[] input) {
        String message = new String(input, StandardCharsets.ISO_8859_1);
        MessageHeader header;
        try {
            header = MessageHeader.read(message);
        } catch (Hl7MessageException unreadable) {
            check(ACKNOWLEDGEMENT.acknowledge(MessageHeader.UNREADABLE, Optional.of(unreadable), "A1", NOW));
            return;
        }
        Optional<Hl7MessageException> error = Optional.empty();
        try {
            FuzzSupport.checkWithinLimits(ADAPTER.read(message).record());
        } catch (Hl7MessageException e) {
            error = Optional.of(e);
        }
        check(ACKNOWLEDGEMENT.acknowledge(header, error, "A1", NOW));
        ACKNOWLEDGEMENT.applicationAcknowledgement(header, error, "A2", NOW).ifPresent(this::checkAck);
    }

    private void check(Optional<String> ack) {
        ack.ifPresent(this::checkAck);
    }

    private void checkAck(String ack) {
        assertTrue(ack.startsWith("MSH"), ack);
        assertTrue(ack.matches("(?s).*\rMSA.(AA|AE|AR|CA|CE|CR).*"), ack);
    }
}
