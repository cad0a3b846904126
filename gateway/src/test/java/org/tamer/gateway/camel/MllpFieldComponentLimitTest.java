package org.tamer.gateway.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.pipeline.Hl7Charset;
import org.tamer.gateway.pipeline.Hl7MessageIntake;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.testing.MigratedH2;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.routes.mllp.MllpClient;
import org.tamer.runtime.preprocess.PreprocessingConfig;
import org.tamer.runtime.preprocess.Preprocessor;
import org.tamer.runtime.testdata.SharedData;

/**
 * Issue 20's case over the real path: a real PTB-XL message with a TX OBX of 60,000 components (HAPI's composite
 * parsing took 52 s before the ACK) sent to the gateway's MLLP listener, with the gateway's HL7 intake and store
 * behind it. The sender gets an AE naming the OBX field and {@code tamer.decoder.max-field-components} (the count is
 * taken before HAPI parses anything), and the message is kept as FAILED with that reason.
 */
class MllpFieldComponentLimitTest {

    @TempDir
    Path directory;

    @Test
    void aSixtyThousandComponentTxObxIsAnsweredAeNamingTheLimit() throws Exception {
        MessageStore store = new MessageStore(MigratedH2.in(directory), Clock.systemUTC());
        Hl7MessageIntake intake = new Hl7MessageIntake(new Hl7WaveformAdapter(new MdcLeadCodes()),
                new Hl7Acknowledgement("TAMER", "TEST"), store, new AuditEvents(
                ca.uhn.fhir.context.FhirContext.forR4Cached(), "tamer-gateway:test"),
                new GatewayMetrics(new SimpleMeterRegistry()), new Hl7Charset(StandardCharsets.ISO_8859_1), 8_388_608,
                new Preprocessor(PreprocessingConfig.paperDefaults())::check, Clock.systemUTC());
        String message = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART",
                "WARD7").write(new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS).read("1"),
                "BIG1", ZonedDateTime.of(2026, 11, 24, 9, 30, 0, 0, ZoneOffset.UTC))
                + "OBX|99|TX|18842-5^Discharge summary^LN||" + "x^".repeat(60_000) + "x\r";
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
            port = free.getLocalPort();
        }
        MllpSettings settings = new MllpSettings(true, "127.0.0.1", port, 8_388_608, 4, 4, Duration.ofMinutes(1),
                Duration.ofMinutes(1), new MllpSettings.Tls("", "", "", "", "NONE"));
        String ack;
        try (MllpListener listener = new MllpListener(settings, intake);
             MllpClient client = MllpClient.connect("127.0.0.1", listener.port(), null, Duration.ofSeconds(60),
                     StandardCharsets.ISO_8859_1)) {
            ack = client.send(message);
        }
        assertTrue(ack.contains("\rMSA|AE|BIG1"), ack);
        String err = List.of(ack.split("\r")).stream().filter(s -> s.startsWith("ERR|")).findFirst().orElseThrow();
        assertTrue(err.matches("(?s).*OBX\\^\\d+\\^5.*|.*OBX\\[\\d+]-5.*"), "the field is named: " + err);
        assertTrue(err.contains("tamer.decoder.max-field-components"), "the limit is named: " + err);
        var stored = store.findByControlId(org.tamer.gateway.store.Channel.MLLP, "BIG1");
        assertEquals(1, stored.size());
        assertEquals(MessageState.FAILED, stored.get(0).state());
        assertTrue(stored.get(0).failureReason().orElseThrow().contains("tamer.decoder.max-field-components"));
    }
}
