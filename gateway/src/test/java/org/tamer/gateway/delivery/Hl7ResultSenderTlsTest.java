package org.tamer.gateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.camel.MllpListener;
import org.tamer.gateway.outbound.OutboundSettings;
import org.tamer.gateway.testing.TestCertificates;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.MessageHeader;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.routes.route.Hl7Intake;
import org.tamer.runtime.testdata.SharedData;

/**
 * Outbound MLLP over TLS, as the gateway sends HL7 v2 results and application acknowledgements: the sender is set
 * up from {@code tamer.hl7-out.*} configuration (trust store, client key store for mutual TLS) as
 * {@code OutboundFactory} does, and the destination is a real MLLP listener (the gateway's own, Camel MLLP) that
 * requires a client certificate. A destination whose certificate names another host is refused during the
 * handshake with an error naming the host name problem, and nothing reaches it; so is a sender without a client
 * certificate.
 */
class Hl7ResultSenderTlsTest {

    @TempDir
    static Path directory;

    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static MllpListener rightHost;
    private static MllpListener otherHost;
    private static int rightPort;
    private static int otherPort;
    private static Path senderKeys;
    private static Path senderTrust;
    private static String result;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates certificates = new TestCertificates(directory);
        Path right = certificates.keyStore("his-localhost", "localhost", "dns:localhost");
        Path other = certificates.keyStore("his-elsewhere", "hl7.other-hospital.example",
                "dns:hl7.other-hospital.example");
        senderKeys = certificates.keyStore("gateway-client", "tamer-gateway", "");
        senderTrust = certificates.trustStore("gateway-trusts", right, other);
        Path listenerTrust = certificates.trustStore("his-trusts", senderKeys);

        result = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "TAMER",
                "TAMER").write(new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS)
                .read("9"), "RES0009", ZonedDateTime.of(2026, 12, 6, 4, 30, 0, 0, ZoneOffset.UTC));
        Hl7Acknowledgement acknowledgements = new Hl7Acknowledgement("HIS", "HOSPITAL");
        Hl7Intake intake = (raw, remote) -> {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            received.add(text);
            MessageHeader header = MessageHeader.read(text);
            if (text.startsWith("MSH") && text.contains("|ACK")) {
                return Optional.empty();
            }
            return acknowledgements.acknowledge(header, Optional.empty(), "HIS-ACK",
                    ZonedDateTime.now(ZoneOffset.UTC)).map(ack -> ack.getBytes(StandardCharsets.ISO_8859_1));
        };
        rightPort = freePort();
        rightHost = new MllpListener(TestCertificates.mllpWithMutualTls(rightPort, right, listenerTrust), intake);
        otherPort = freePort();
        otherHost = new MllpListener(TestCertificates.mllpWithMutualTls(otherPort, other, listenerTrust), intake);
    }

    @AfterAll
    static void stop() {
        try {
            if (rightHost != null) {
                rightHost.close();
            }
        } finally {
            if (otherHost != null) {
                otherHost.close();
            }
        }
    }

    /** The sender {@code OutboundFactory} makes from these {@code tamer.hl7-out} settings. */
    private static Hl7ResultSender sender(String host, int port, boolean clientCertificate) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("tamer.hl7-out.tls.trust-store", "file:" + senderTrust);
        properties.put("tamer.hl7-out.tls.trust-store-password", TestCertificates.PASSWORD);
        if (clientCertificate) {
            properties.put("tamer.hl7-out.tls.key-store", senderKeys.toString());
            properties.put("tamer.hl7-out.tls.key-store-password", TestCertificates.PASSWORD);
        }
        OutboundSettings settings = OutboundSettings.read(new PropertySourcePropertyResolver(
                PropertySource.of("test", properties)), "tamer.hl7-out", "");
        return new Hl7ResultSender(host, port, settings.sslContext(), Duration.ofSeconds(30),
                StandardCharsets.ISO_8859_1);
    }

    @Test
    void resultsAndApplicationAcknowledgementsGoOverMutualTlsToTheNamedHost() throws Exception {
        int before = received.size();
        Hl7ResultSender sender = sender("localhost", rightPort, true);
        sender.send(result);
        assertEquals(before + 1, received.size());
        assertEquals(result, received.get(before), "the result arrives byte for byte");

        String applicationAck = new Hl7Acknowledgement("TAMER", "TAMER").acknowledge(MessageHeader.read(result),
                Optional.empty(), "APPACK1", ZonedDateTime.now(ZoneOffset.UTC)).orElseThrow();
        sender.sendAcknowledgement(applicationAck);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (received.size() < before + 2) {
            assertTrue(Instant.now().isBefore(deadline), "the application acknowledgement did not arrive");
            Thread.sleep(20);
        }
        assertEquals(applicationAck, received.get(before + 1));
    }

    @Test
    void aDestinationWhoseCertificateNamesAnotherHostIsRefused() {
        int before = received.size();
        DeliveryException e = assertThrows(DeliveryException.class,
                () -> sender("localhost", otherPort, true).send(result));
        assertTrue(e.getMessage().contains("No subject alternative DNS name matching localhost"), e.getMessage());
        assertTrue(e.getMessage().contains("mllp://localhost:" + otherPort), "names the destination: "
                + e.getMessage());
        DeliveryException ack = assertThrows(DeliveryException.class,
                () -> sender("localhost", otherPort, true).sendAcknowledgement(result));
        assertTrue(ack.getMessage().contains("No subject alternative DNS name matching localhost"), ack.getMessage());
        assertEquals(before, received.size(), "nothing reached the wrong host");
    }

    @Test
    void anAddressTheCertificateDoesNotNameIsRefused() {
        int before = received.size();
        DeliveryException e = assertThrows(DeliveryException.class,
                () -> sender("127.0.0.1", rightPort, true).send(result));
        assertTrue(e.getMessage().contains("No subject alternative names matching IP address 127.0.0.1"),
                e.getMessage());
        assertEquals(before, received.size());
    }

    @Test
    void withoutTheClientCertificateTheDestinationRefuses() {
        int before = received.size();
        assertThrows(DeliveryException.class, () -> sender("localhost", rightPort, false).send(result));
        assertEquals(before, received.size());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
