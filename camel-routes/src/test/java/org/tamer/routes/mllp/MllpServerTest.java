package org.tamer.routes.mllp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7Error;
import org.tamer.routes.hl7.Hl7MessageException;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.MessageHeader;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.routes.route.Hl7Intake;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/**
 * The MLLP listener against senders that misbehave, over real sockets, with real PTB-XL ECG messages whose PID
 * carries a patient name: pipelined frames, frames cut into single bytes, an oversize frame, a frame without an end
 * block, noise between frames, idle connections filling the listener, a sender trickling a frame. Every frame gets
 * its answer in order, nothing is merged, new senders always get in, and the patient name never reaches the log.
 */
class MllpServerTest {

    private static final String PATIENT = "Quillantha^Zyxwomba";
    private static final int MAX_FRAME = 1_000_000;
    private static final Duration IO = Duration.ofMinutes(2);

    private static String message;

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final Hl7Acknowledgement acknowledgements = new Hl7Acknowledgement("TAMER", "TEST");
    private MllpServer server;
    private PrintStream originalErr;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @BeforeAll
    static void message() {
        EcgRecord record = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS).read("3");
        String written = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART",
                "WARD").write(record, "CTRL", ZonedDateTime.of(2026, 12, 6, 8, 0, 0, 0, ZoneOffset.UTC));
        message = written.replaceFirst("PID\\|1\\|\\|([^\r]*)", "PID|1||$1||" + PATIENT + "||19500101|F");
        assertTrue(message.contains(PATIENT));
    }

    private void start(int maxConnections, int perPeer, Duration idle, Duration frame) throws IOException {
        originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        server = MllpServer.start("127.0.0.1", 0, new MllpServer.Limits(MAX_FRAME, maxConnections, perPeer, idle,
                frame), Optional.empty(), new Hl7Intake() {
                    @Override
                    public Optional<byte[]> receive(byte[] raw, String remoteAddress) {
                        String text = new String(raw, StandardCharsets.ISO_8859_1);
                        received.add(text);
                        return answer(text, Optional.empty());
                    }

                    @Override
                    public Optional<byte[]> refuse(byte[] head, String reason, String remoteAddress) {
                        return answer(new String(head, StandardCharsets.ISO_8859_1), Optional.of(
                                Hl7MessageException.reject("MSH", Hl7Error.APPLICATION_INTERNAL_ERROR, reason)));
                    }
                });
    }

    private Optional<byte[]> answer(String text, Optional<Hl7MessageException> error) {
        MessageHeader header;
        try {
            header = MessageHeader.read(text);
        } catch (Hl7MessageException e) {
            header = MessageHeader.UNREADABLE;
            error = Optional.of(e);
        }
        return acknowledgements.acknowledge(header, error, "ACK-" + header.controlId(),
                ZonedDateTime.now(ZoneOffset.UTC)).map(a -> a.getBytes(StandardCharsets.ISO_8859_1));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (originalErr != null) {
            System.setErr(originalErr);
        }
        String logged = log.toString(StandardCharsets.UTF_8);
        assertFalse(logged.contains("Quillantha") || logged.contains("Zyxwomba"), "patient name in the log:\n"
                + logged);
    }

    private static String withControlId(String controlId) {
        return message.replace("|CTRL|", "|" + controlId + "|");
    }

    private static byte[] frame(String payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MllpClient.START_BLOCK);
        out.writeBytes(payload.getBytes(StandardCharsets.ISO_8859_1));
        out.write(MllpClient.END_BLOCK);
        out.write(MllpClient.CARRIAGE_RETURN);
        return out.toByteArray();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) IO.toMillis());
        socket.setSoTimeout((int) IO.toMillis());
        return socket;
    }

    /** Reads one reply frame; null when the server closed the connection. */
    private static String reply(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            return null;
        }
        assertEquals(MllpClient.START_BLOCK, b, "reply must start with VT");
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        while ((b = in.read()) != MllpClient.END_BLOCK) {
            if (b < 0) {
                throw new IOException("reply cut off");
            }
            text.write(b);
        }
        assertEquals(MllpClient.CARRIAGE_RETURN, in.read());
        return text.toString(StandardCharsets.ISO_8859_1);
    }

    private static void assertAnswer(String expected, String reply) {
        assertEquals(expected, msa(reply), reply);
    }

    private static String msa(String reply) {
        for (String segment : reply.split("\r")) {
            if (segment.startsWith("MSA|")) {
                String[] fields = segment.split("\\|", -1);
                return fields[1] + " " + fields[2];
            }
        }
        throw new AssertionError("no MSA in " + reply);
    }

    @Test
    void framesPipelinedInOneWriteAreEachAnsweredInOrder() throws Exception {
        start(4, 4, IO, IO);
        try (Socket socket = connect()) {
            ByteArrayOutputStream burst = new ByteArrayOutputStream();
            for (int i = 1; i <= 3; i++) {
                burst.writeBytes(frame(withControlId("PIPE" + i)));
            }
            socket.getOutputStream().write(burst.toByteArray());
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            for (int i = 1; i <= 3; i++) {
                assertAnswer("AA PIPE" + i, reply(in));
            }
        }
        assertEquals(3, received.size());
        assertEquals(withControlId("PIPE2"), received.get(1));
    }

    @Test
    void aFrameArrivingOneByteAtATimeIsOneMessage() throws Exception {
        start(4, 4, IO, IO);
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            byte[] bytes = frame(withControlId("DRIP"));
            for (int i = 0; i < 400; i++) {
                out.write(bytes[i]);
                out.flush();
            }
            out.write(bytes, 400, bytes.length - 400);
            out.flush();
            assertAnswer("AA DRIP", reply(socket.getInputStream()));
        }
        assertEquals(List.of(withControlId("DRIP")), received);
    }

    @Test
    void anOversizeFrameIsRefusedNamingTheLimitAndTheConnectionGoesOn() throws Exception {
        start(4, 4, IO, IO);
        try (Socket socket = connect()) {
            String huge = withControlId("HUGE") + "NTE|1||" + "x".repeat(3 * MAX_FRAME) + "\r";
            socket.getOutputStream().write(frame(huge));
            socket.getOutputStream().write(frame(withControlId("AFTER")));
            InputStream in = socket.getInputStream();
            String refusal = reply(in);
            assertEquals("AR HUGE", msa(refusal));
            assertTrue(refusal.contains("at most " + MAX_FRAME), refusal);
            assertAnswer("AA AFTER", reply(in));
        }
        assertEquals(List.of(withControlId("AFTER")), received);
    }

    @Test
    void aStartBlockInsideAFrameNeverMergesTwoMessages() throws Exception {
        start(4, 4, IO, IO);
        try (Socket socket = connect()) {
            byte[] cut = frame(withControlId("CUT"));
            ByteArrayOutputStream write = new ByteArrayOutputStream();
            write.write(cut, 0, cut.length / 2);
            write.writeBytes("noise between frames\r\n".getBytes(StandardCharsets.US_ASCII));
            write.writeBytes(frame(withControlId("WHOLE")));
            write.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            write.writeBytes(frame(withControlId("LAST")));
            socket.getOutputStream().write(write.toByteArray());
            InputStream in = socket.getInputStream();
            String refusal = reply(in);
            assertEquals("AR CUT", msa(refusal));
            assertTrue(refusal.contains("no end block"), refusal);
            assertAnswer("AA WHOLE", reply(in));
            assertAnswer("AA LAST", reply(in));
        }
        assertEquals(List.of(withControlId("WHOLE"), withControlId("LAST")), received);
    }

    @Test
    void idleConnectionsNeverStarveANewSender() throws Exception {
        start(4, 4, IO, IO);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                idle.add(connect());
            }
            try (Socket sender = connect()) {
                sender.getOutputStream().write(frame(withControlId("NEW")));
                assertAnswer("AA NEW", reply(sender.getInputStream()));
            }
            assertTrue(server.openConnections() <= 4, server.openConnections() + " open");
            // the oldest idle ones were closed to make room
            assertEquals(null, reply(idle.get(0).getInputStream()));
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
    }

    @Test
    void oneBusyPeerCannotTakeEveryConnection() throws Exception {
        start(8, 2, IO, IO);
        List<Socket> busy = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                Socket s = connect();
                busy.add(s);
                // each is inside a frame (a start block and no end), so none is idle and none may be evicted
                s.getOutputStream().write(new byte[] {MllpClient.START_BLOCK, 'M', 'S', 'H'});
                s.getOutputStream().flush();
            }
            Conditions.until(() -> server.busyConnections() == 2);
            busy.add(connect());
            // the third connection from this peer was refused at once: the server closed it
            assertEquals(null, reply(busy.get(2).getInputStream()));
            Conditions.until(() -> server.openConnections() == 2);
        } finally {
            for (Socket s : busy) {
                s.close();
            }
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        start(4, 4, Duration.ofMillis(300), IO);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(frame(withControlId("ONCE")));
            InputStream in = socket.getInputStream();
            assertAnswer("AA ONCE", reply(in));
            assertEquals(null, reply(in), "closed by the server after the idle timeout");
        }
    }

    @Test
    void aTricklingFrameIsCutOffAtTheFrameTimeout() throws Exception {
        start(4, 4, IO, Duration.ofMillis(500));
        try (Socket socket = connect()) {
            byte[] bytes = frame(withControlId("SLOW"));
            OutputStream out = socket.getOutputStream();
            out.write(bytes, 0, 100);
            out.flush();
            // nothing more is sent: the server gives up on the frame and closes; the message is not passed on
            assertEquals(null, reply(socket.getInputStream()));
        }
        assertTrue(received.isEmpty());
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("no end block within the frame timeout"),
                log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anEmptyFrameGetsAnAnswer() throws Exception {
        start(4, 4, IO, IO);
        try (Socket socket = connect()) {
            socket.getOutputStream().write(frame(""));
            String answer = reply(socket.getInputStream());
            assertTrue(answer.startsWith("MSH|"), answer);
            assertTrue(msa(answer).startsWith("AR"), answer);
        }
    }

    /** Waits for a condition the server reaches by itself (a closed connection being released). */
    private static final class Conditions {

        static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + IO.toNanos();
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("condition not reached within " + IO);
                }
                Thread.sleep(10);
            }
        }
    }
}
