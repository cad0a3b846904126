package org.tamer.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.delivery.Hl7ResultSender;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.NewMessage;
import org.tamer.gateway.testing.MigratedH2;
import org.tamer.gateway.testing.MllpFrames;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.Digests;
import org.tamer.runtime.testdata.SharedData;

/**
 * A destination slower than the lease: the HL7 v2 destination (a loopback MLLP socket) holds its ACK for three
 * leases while a second gateway's delivery worker on the same store keeps trying to claim. The first worker's
 * lease is renewed while it waits, so the second claims nothing and the result reaches the destination once.
 * Without the renewal the second worker took the message after one lease and sent it again. Real store (H2 with
 * the real migrations, leases on the database clock), real workers and MLLP sender, a real PTB-XL ECG.
 */
class DeliveryLeaseTest {

    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 12, 7, 1, 0, 0, 0, ZoneOffset.UTC);
    private static final Duration LEASE = Duration.ofSeconds(3);

    @TempDir
    Path directory;

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstFrame = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @Test
    void aDestinationSlowerThanTheLeaseGetsTheResultOnce() throws Exception {
        MessageStore store = new MessageStore(MigratedH2.in(directory), Clock.systemUTC());
        long id = diagnosed(store);
        try (ServerSocket destination = new ServerSocket(0);
             DeliveryWorker slow = worker(store, "gateway-a", destination.getLocalPort());
             DeliveryWorker other = worker(store, "gateway-b", destination.getLocalPort())) {
            Thread listener = new Thread(() -> holdThenAcknowledge(destination), "test-slow-hl7-destination");
            listener.setDaemon(true);
            listener.start();

            CompletableFuture<Integer> delivering = CompletableFuture.supplyAsync(slow::runOnce);
            assertTrue(firstFrame.await(2, TimeUnit.MINUTES), "the result never reached the destination");
            // three leases pass while the destination holds its answer; the other gateway polls all along
            long until = System.nanoTime() + LEASE.multipliedBy(3).toNanos();
            int claimedByOther = 0;
            while (System.nanoTime() < until) {
                claimedByOther += other.runOnce();
                Thread.sleep(50);
            }
            release.countDown();
            assertEquals(1, delivering.get(2, TimeUnit.MINUTES), "the slow worker's claim");

            assertEquals(0, claimedByOther, "the other gateway took a message whose delivery was still running");
            assertEquals(1, received.size(), "frames at the destination: " + received.size());
            assertEquals(MessageState.DELIVERED, store.find(id).orElseThrow().state());
        }
    }

    /** Records each result; answers the first only when the test releases it, any later one at once. */
    private void holdThenAcknowledge(ServerSocket destination) {
        while (!destination.isClosed()) {
            try (Socket socket = destination.accept()) {
                socket.setSoTimeout((int) Duration.ofMinutes(2).toMillis());
                String frame = MllpFrames.read(socket.getInputStream());
                if (frame == null) {
                    continue;
                }
                received.add(frame);
                firstFrame.countDown();
                if (received.size() == 1 && !release.await(2, TimeUnit.MINUTES)) {
                    return;
                }
                String controlId = MllpFrames.msh(frame, 10);
                MllpFrames.write(socket.getOutputStream(), "MSH|^~\\&|DEST|HOSP|TAMER|TEST|20261207010000||ACK^R01^ACK|D"
                        + controlId + "|P|2.5.1\rMSA|AA|" + controlId + "\r");
            } catch (IOException e) {
                return; // the socket is closed at the end of the test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static DeliveryWorker worker(MessageStore store, String owner, int port) {
        Hl7Charset charset = new Hl7Charset(StandardCharsets.ISO_8859_1);
        // the sender's timeout exceeds the destination's hold: the delivery itself succeeds, only late
        return new DeliveryWorker(store, Optional.empty(), Optional.of(new Hl7ResultSender("127.0.0.1", port, null,
                Duration.ofMinutes(2), StandardCharsets.ISO_8859_1)),
                new ApplicationAcknowledgements(new Hl7Acknowledgement("TAMER", "TEST"), charset, Clock.systemUTC()),
                new AuditEvents(FhirContext.forR4Cached(), "test"), new GatewayMetrics(new SimpleMeterRegistry()),
                owner, 10, LEASE, new RetryPolicy(Duration.ofMillis(10), Duration.ofSeconds(1), 3), Clock.systemUTC());
    }

    /** A real PTB-XL ECG message, stored and diagnosed, with an ORU result to deliver. */
    private static long diagnosed(MessageStore store) {
        PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
        Hl7WaveformWriter writer = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT,
                "CART", "WARD7");
        byte[] raw = writer.write(archive.read("13"), "SLOW1", SENT).getBytes(StandardCharsets.ISO_8859_1);
        String result = writer.write(archive.read("14"), "RESULT-SLOW1", SENT);
        long id = store.insert(new NewMessage(Channel.MLLP, "SLOW1", Digests.sha256Hex(raw), raw, "127.0.0.1",
                MessageState.PARSED, Optional.of("ACK"), Optional.empty(), Optional.of("r-SLOW1"),
                Optional.empty())).message().id();
        assertEquals(1, store.claim(MessageState.PARSED, 1, "gateway-a", LEASE).size());
        assertTrue(store.markDiagnosed(id, "gateway-a", "r-SLOW1", "{}", result, "x".repeat(64)));
        return id;
    }
}
