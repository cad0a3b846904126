package org.tamer.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.delivery.Hl7ResultSender;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.NewMessage;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.Digests;
import org.tamer.runtime.testdata.SharedData;
import org.tamer.gateway.testing.MigratedH2;
import org.tamer.gateway.testing.MllpFrames;

/**
 * Enhanced-mode application acknowledgements (MSH-16), through the real delivery worker, store (H2 with the real
 * migrations) and MLLP sender, to an MLLP destination on a loopback socket that acknowledges results (AR for those
 * it refuses) and records every frame. Messages are real PTB-XL ECGs; their MSH-15/MSH-16 decide what follows.
 */
class ApplicationAcknowledgementTest {

    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 11, 24, 12, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path directory;

    private final List<String> received = new CopyOnWriteArrayList<>();
    private ServerSocket destination;
    private Thread listener;
    private MessageStore store;
    private DeliveryWorker worker;

    @BeforeEach
    void start() throws IOException {
        destination = new ServerSocket(0);
        listener = new Thread(this::serve, "test-hl7-destination");
        listener.setDaemon(true);
        listener.start();
        javax.sql.DataSource h2 = MigratedH2.in(directory);
        store = new MessageStore(h2, Clock.systemUTC());
        Hl7Charset charset = new Hl7Charset(StandardCharsets.ISO_8859_1);
        worker = new DeliveryWorker(store, Optional.empty(), Optional.of(new Hl7ResultSender("127.0.0.1",
                destination.getLocalPort(), null, Duration.ofSeconds(10), StandardCharsets.ISO_8859_1)),
                new ApplicationAcknowledgements(new Hl7Acknowledgement("TAMER", "TEST"), charset, Clock.systemUTC()),
                new AuditEvents(FhirContext.forR4Cached(), "test"), new GatewayMetrics(new SimpleMeterRegistry()),
                "worker", 10, Duration.ofMinutes(1), new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(1), 3),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() throws IOException {
        destination.close();
    }

    @Test
    void msh16DecidesWhichApplicationAcknowledgementFollowsTheResult() throws Exception {
        long always = diagnosed("APP1", "AL", "AL", "RESULT1");
        long never = diagnosed("APP2", "AL", "NE", "RESULT2");
        long original = diagnosed("APP3", "", "", "RESULT3");
        long onSuccess = diagnosed("APP4", "AL", "SU", "RESULT4");
        long refusedAndAskedForErrors = diagnosed("APP5", "AL", "ER", "REJECT5");
        long refusedSilently = diagnosed("APP6", "NE", "SU", "REJECT6");

        assertEquals(6, worker.runOnce());
        awaitFrames(9);

        assertEquals(List.of("ORU RESULT1", "ACK AA APP1", "ORU RESULT2", "ORU RESULT3", "ORU RESULT4",
                "ACK AA APP4", "ORU REJECT5", "ACK AE APP5", "ORU REJECT6"), summaries());
        String errorAck = received.stream().filter(f -> f.contains("MSA|AE|APP5")).findFirst().orElseThrow();
        assertTrue(errorAck.contains("\rERR|") && errorAck.contains("could not be delivered"), errorAck);
        assertEquals(MessageState.DELIVERED, store.find(always).orElseThrow().state());
        assertEquals(MessageState.DELIVERED, store.find(never).orElseThrow().state());
        assertEquals(MessageState.DELIVERED, store.find(original).orElseThrow().state());
        assertEquals(MessageState.DELIVERED, store.find(onSuccess).orElseThrow().state());
        assertEquals(MessageState.DEAD, store.find(refusedAndAskedForErrors).orElseThrow().state());
        assertEquals(MessageState.DEAD, store.find(refusedSilently).orElseThrow().state());
    }

    /** Stores a real ECG message with the given MSH-15/MSH-16 and marks it diagnosed with a result to deliver. */
    private long diagnosed(String controlId, String acceptAck, String applicationAck, String resultControlId) {
        PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
        Hl7WaveformWriter writer = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT,
                "CART", "WARD7");
        String message = withAckTypes(writer.write(archive.read("9"), controlId, SENT), acceptAck, applicationAck);
        String result = writer.write(archive.read("10"), resultControlId, SENT);
        byte[] raw = message.getBytes(StandardCharsets.ISO_8859_1);
        long id = store.insert(new NewMessage(Channel.MLLP, controlId, Digests.sha256Hex(raw), raw, "127.0.0.1",
                MessageState.PARSED, Optional.of("ACK"), Optional.empty(), Optional.of("r"), Optional.empty()))
                .message().id();
        assertEquals(1, store.claim(MessageState.PARSED, 1, "worker", Duration.ofMinutes(1)).size());
        assertTrue(store.markDiagnosed(id, "worker", "r", "{}", result, "x".repeat(64)));
        return id;
    }

    private static String withAckTypes(String message, String acceptAck, String applicationAck) {
        int end = message.indexOf('\r');
        String[] fields = message.substring(0, end).split("\\|", -1);
        String[] msh = java.util.Arrays.copyOf(fields, Math.max(fields.length, 16));
        for (int i = fields.length; i < msh.length; i++) {
            msh[i] = "";
        }
        msh[14] = acceptAck;
        msh[15] = applicationAck;
        return String.join("|", msh) + message.substring(end);
    }

    /** "ORU controlId" for results, "ACK code originalControlId" for acknowledgements, in arrival order. */
    private List<String> summaries() {
        return received.stream().map(frame -> {
            String[] msh = frame.substring(0, frame.indexOf('\r')).split("\\|", -1);
            if (msh[8].startsWith("ACK")) {
                String msa = frame.substring(frame.indexOf("\rMSA|") + 1);
                String[] f = msa.substring(0, msa.indexOf('\r')).split("\\|", -1);
                return "ACK " + f[1] + " " + f[2];
            }
            return "ORU " + msh[9];
        }).toList();
    }

    /** Waits for the expected frames, then a little longer so that an unexpected extra one would be seen too. */
    private void awaitFrames(int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (received.size() < expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
    }

    /** The destination: answers results with AA (AR when MSH-10 starts with REJECT), never answers ACKs. */
    private void serve() {
        while (!destination.isClosed()) {
            try (Socket socket = destination.accept()) {
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                String frame;
                while ((frame = MllpFrames.read(in)) != null) {
                    received.add(frame);
                    String[] msh = frame.substring(0, frame.indexOf('\r')).split("\\|", -1);
                    if (!msh[8].startsWith("ACK")) {
                        String code = msh[9].startsWith("REJECT") ? "AR" : "AA";
                        String ack = "MSH|^~\\&|DEST|HOSP|TAMER|TEST|20261124120000||ACK^R01^ACK|D" + msh[9] + "|P|2.5.1\r"
                                + "MSA|" + code + "|" + msh[9] + "\r";
                        MllpFrames.write(out, ack);
                    }
                }
            } catch (IOException e) {
                if (!destination.isClosed()) {
                    throw new IllegalStateException("test destination failed", e);
                }
            }
        }
    }
}
