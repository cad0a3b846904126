package org.tamer.gateway.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.testing.TestCertificates;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.MessageHeader;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.routes.mllp.MllpClient;
import org.tamer.routes.route.Hl7Intake;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/**
 * The gateway's MLLP listener over mutual TLS, on a loopback socket with keys made by the JDK's keytool: a client
 * holding a certificate the listener trusts gets its ACK; a client without a certificate, a client speaking plain
 * TCP and a client that does not trust the listener's certificate never reach the intake.
 */
class MllpListenerTlsTest {

    @TempDir
    static Path keys;

    private static final List<String> received = new CopyOnWriteArrayList<>();
    private static MllpListener listener;
    private static int port;
    private static String message;

    @BeforeAll
    static void start() throws Exception {
        TestCertificates certificates = new TestCertificates(keys);
        Path gateway = certificates.keyStore("gateway", "localhost", "ip:127.0.0.1");
        Path cart = certificates.keyStore("cart", "ecg-cart-7", "");
        Path stranger = certificates.keyStore("stranger", "stranger", "");
        certificates.trustStore("cart-trusts", gateway);
        certificates.trustStore("gateway-trusts", cart);
        certificates.trustStore("stranger-trusts", stranger);

        EcgRecord record = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS).read("7");
        message = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "TLS-CART",
                "TLS-WARD").write(record, "TLS0001", ZonedDateTime.of(2026, 11, 24, 12, 0, 0, 0, ZoneOffset.UTC));

        Hl7Acknowledgement acknowledgements = new Hl7Acknowledgement("TAMER", "TEST");
        Hl7Intake intake = (raw, remote) -> {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            received.add(text);
            return acknowledgements.acknowledge(MessageHeader.read(text), Optional.empty(), "ACK1",
                    ZonedDateTime.now(ZoneOffset.UTC)).map(ack -> ack.getBytes(StandardCharsets.ISO_8859_1));
        };
        port = freePort();
        listener = new MllpListener(TestCertificates.mllpWithMutualTls(port, gateway,
                keys.resolve("gateway-trusts.p12")), intake);
    }

    @AfterAll
    static void stop() {
        if (listener != null) {
            listener.close();
        }
    }

    @Test
    void aTrustedClientCertificateGetsTheAcknowledgement() throws Exception {
        int before = received.size();
        try (MllpClient client = MllpClient.connect("127.0.0.1", port,
                context("cart.p12", "cart-trusts.p12"), Duration.ofSeconds(30), StandardCharsets.ISO_8859_1)) {
            String reply = client.send(message);
            assertTrue(reply.contains("\rMSA|AA|TLS0001"), "expected MSA|AA|TLS0001 in " + reply);
        }
        assertEquals(before + 1, received.size());
        assertEquals(message, received.get(received.size() - 1), "the message arrives byte for byte");
    }

    @Test
    void aClientWithoutCertificateIsRefusedBeforeTheIntake() throws Exception {
        int before = received.size();
        assertThrows(IOException.class, () -> {
            try (MllpClient client = MllpClient.connect("127.0.0.1", port, context(null, "cart-trusts.p12"),
                    Duration.ofSeconds(10), StandardCharsets.ISO_8859_1)) {
                client.send(message);
            }
        });
        assertEquals(before, received.size(), "the intake must not see a message from an unauthenticated client");
    }

    @Test
    void aClientWithAnUntrustedCertificateIsRefused() throws Exception {
        int before = received.size();
        assertThrows(IOException.class, () -> {
            try (MllpClient client = MllpClient.connect("127.0.0.1", port,
                    context("stranger.p12", "cart-trusts.p12"), Duration.ofSeconds(10),
                    StandardCharsets.ISO_8859_1)) {
                client.send(message);
            }
        });
        assertEquals(before, received.size());
    }

    @Test
    void aClientThatDoesNotTrustTheGatewayAbortsTheHandshake() throws Exception {
        int before = received.size();
        assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> MllpClient.connect("127.0.0.1", port,
                context("cart.p12", "stranger-trusts.p12"), Duration.ofSeconds(10), StandardCharsets.ISO_8859_1)
                .close());
        assertEquals(before, received.size());
    }

    @Test
    void plainTcpGetsNoAcknowledgementAndReachesNoIntake() throws Exception {
        int before = received.size();
        assertThrows(IOException.class, () -> {
            try (MllpClient client = MllpClient.connect("127.0.0.1", port, null, Duration.ofSeconds(10),
                    StandardCharsets.ISO_8859_1)) {
                client.send(message);
            }
        });
        assertEquals(before, received.size());
    }

    private static SSLContext context(String keyStore, String trustStore) throws Exception {
        return TestCertificates.context(keyStore == null ? null : keys.resolve(keyStore), keys.resolve(trustStore));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
