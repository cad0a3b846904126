package org.tamer.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.delivery.Hl7ResultSender;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.NewMessage;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.gateway.testing.MigratedH2;
import org.tamer.gateway.testing.TestClock;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.routes.mllp.MllpClient;
import org.tamer.runtime.Digests;
import org.tamer.runtime.testdata.SharedData;

/**
 * Delivery is retried for a time, not a number of attempts: with the HL7 destination down, a result stays due
 * through many attempts within the window and is delivered by itself when the destination comes back; past the
 * window (a day after receipt) it is DEAD with a reason naming the window and the last error. The store (H2, real
 * migrations), worker and MLLP sender are real; the clock is the test's, so a day passes without waiting for it.
 */
class DeliveryGiveUpTest {

    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 12, 6, 6, 0, 0, 0, ZoneOffset.UTC);

    @TempDir
    Path directory;

    @Test
    void aDownDestinationIsRetriedWithinTheWindowThenTheMessageIsDeadNamingIt() throws Exception {
        TestClock clock = new TestClock(SENT.toInstant());
        MessageStore store = new MessageStore(MigratedH2.in(directory), clock);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort(); // nothing listens there once closed: connection refused, a transient failure
        }
        DeliveryWorker worker = worker(store, clock, port);
        long resumed = diagnosed(store, "DOWN1", "RESULT1");
        long abandoned = diagnosed(store, "DOWN2", "RESULT2");

        for (int attempt = 1; attempt <= 6; attempt++) {
            assertEquals(2, runUntilBothTried(worker), "both due at attempt " + attempt);
            assertEquals(MessageState.DIAGNOSED, store.find(resumed).orElseThrow().state());
            assertEquals(attempt, store.find(abandoned).orElseThrow().attempts());
            clock.advance(Duration.ofMinutes(10));
        }
        assertEquals(2, runUntilBothTried(worker), "still retried after an hour of outage");
        assertTrue(store.find(resumed).orElseThrow().failureReason().orElseThrow().contains("127.0.0.1:" + port));

        // the destination comes back: the next due attempt delivers, with no replay
        try (ServerSocket destination = new ServerSocket()) {
            destination.setReuseAddress(true);
            destination.bind(new InetSocketAddress("127.0.0.1", port));
            Thread acknowledger = new Thread(() -> acknowledgeResult1(destination), "test-hl7-destination");
            acknowledger.setDaemon(true);
            acknowledger.start();
            clock.advance(Duration.ofMinutes(10));
            runUntilSettled(worker, store, resumed);
        }
        assertEquals(MessageState.DELIVERED, store.find(resumed).orElseThrow().state());

        // the other one stays down past the window: dead, naming the window and the last error
        clock.advance(Duration.ofHours(24));
        while (store.find(abandoned).orElseThrow().state() == MessageState.DIAGNOSED) {
            assertTrue(worker.runOnce() <= 1);
        }
        StoredMessage dead = store.find(abandoned).orElseThrow();
        assertEquals(MessageState.DEAD, dead.state());
        String reason = dead.failureReason().orElseThrow();
        assertTrue(reason.contains("given up 24h after receipt") && reason.contains("tamer.store.give-up-after")
                && reason.contains("127.0.0.1:" + port), reason);
    }

    /** Runs the worker until the message is no longer waiting for delivery (each run claims what is due). */
    private static void runUntilSettled(DeliveryWorker worker, MessageStore store, long id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (store.find(id).orElseThrow().state() == MessageState.DIAGNOSED && System.nanoTime() < deadline) {
            worker.runOnce();
        }
    }

    /**
     * Runs the worker until it has tried both messages once more: their next attempts are due a millisecond after
     * the last on the database's clock (the store schedules on it), so a run may come just before one is due.
     */
    private static int runUntilBothTried(DeliveryWorker worker) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int tried = 0;
        while (tried < 2 && System.nanoTime() < deadline) {
            tried += worker.runOnce();
        }
        return tried;
    }

    /**
     * The destination once it is back: acknowledges RESULT1 with AA and drops the connection of anything else (a
     * transient failure for the sender), until the socket is closed.
     */
    private static void acknowledgeResult1(ServerSocket destination) {
        while (!destination.isClosed()) {
            try (Socket socket = destination.accept()) {
                socket.setSoTimeout((int) Duration.ofMinutes(2).toMillis());
                String message = readFrame(socket.getInputStream());
                if (message == null || !message.contains("|RESULT1|")) {
                    continue;
                }
                String[] msh = message.substring(0, message.indexOf('\r')).split("\\|", -1);
                String ack = "MSH|^~\\&|HIS|WARD|TAMER|TEST|20261206060000||ACK^R01^ACK|A" + msh[9]
                        + "|P|2.5.1\rMSA|AA|" + msh[9] + "\r";
                OutputStream out = socket.getOutputStream();
                out.write(MllpClient.START_BLOCK);
                out.write(ack.getBytes(StandardCharsets.ISO_8859_1));
                out.write(new byte[] {MllpClient.END_BLOCK, MllpClient.CARRIAGE_RETURN});
                out.flush();
            } catch (IOException e) {
                return; // closed at the end of the test
            }
        }
    }

    private static String readFrame(InputStream in) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != MllpClient.END_BLOCK) {
            if (b < 0) {
                return null;
            }
            if (b != MllpClient.START_BLOCK) {
                frame.write(b);
            }
        }
        return frame.toString(StandardCharsets.ISO_8859_1);
    }

    private static DeliveryWorker worker(MessageStore store, Clock clock, int port) {
        Hl7Charset charset = new Hl7Charset(StandardCharsets.ISO_8859_1);
        return new DeliveryWorker(store, Optional.empty(), Optional.of(new Hl7ResultSender("127.0.0.1", port, null,
                Duration.ofSeconds(30), StandardCharsets.ISO_8859_1)),
                new ApplicationAcknowledgements(new Hl7Acknowledgement("TAMER", "TEST"), charset, clock),
                new AuditEvents(FhirContext.forR4Cached(), "test"), new GatewayMetrics(new SimpleMeterRegistry()),
                "worker", 10, Duration.ofMinutes(1), new RetryPolicy(Duration.ofMillis(1), Duration.ofMillis(1),
                3, Duration.ofHours(24)), clock);
    }

    /** A real PTB-XL ECG message, stored and diagnosed, with an ORU result to deliver. */
    private static long diagnosed(MessageStore store, String controlId, String resultControlId) {
        PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
        Hl7WaveformWriter writer = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT,
                "CART", "WARD7");
        byte[] raw = writer.write(archive.read("11"), controlId, SENT).getBytes(StandardCharsets.ISO_8859_1);
        String result = writer.write(archive.read("12"), resultControlId, SENT);
        long id = store.insert(new NewMessage(Channel.MLLP, controlId, Digests.sha256Hex(raw), raw, "127.0.0.1",
                MessageState.PARSED, Optional.of("ACK"), Optional.empty(), Optional.of("r-" + controlId),
                Optional.empty())).message().id();
        assertEquals(1, store.claim(MessageState.PARSED, 1, "worker", Duration.ofMinutes(1)).size());
        assertTrue(store.markDiagnosed(id, "worker", "r-" + controlId, "{}", result, "x".repeat(64)));
        return id;
    }
}
