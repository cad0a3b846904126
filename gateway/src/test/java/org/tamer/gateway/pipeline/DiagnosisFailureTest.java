package org.tamer.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import ca.uhn.fhir.context.FhirContext;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.gateway.delivery.Hl7ResultSender;
import org.tamer.gateway.health.ModelReadiness;
import org.tamer.gateway.health.WorkerLoops;
import org.tamer.gateway.model.BatchListener;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.NewMessage;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.gateway.testing.MigratedPostgres;
import org.tamer.gateway.testing.RealDiagnosisPipeline;
import org.tamer.routes.adapters.EcgFileReader;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.Digests;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;

/**
 * What the diagnosis worker does with messages that can never be diagnosed (issue 18 item 2, issue 20 item 3),
 * with the real store (PostgreSQL), model and an MLLP destination that records the application acknowledgements:
 * each permanent failure kind ends in FAILED with its reason after one round (no retry interval passes) and an AE
 * goes to a sender that asked for it (MSH-16 AL); an Error while processing one message ends that message and the
 * worker diagnoses the next; a message that stopped processing twice (a process that died on it, simulated by
 * claims that never ended) is FAILED unread; readiness reports a loop that is no longer running.
 */
class DiagnosisFailureTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 12, 6, 9, 0, 0, 0, ZoneOffset.UTC);
    /** Reading a message whose bytes hold this marker throws an OutOfMemoryError (see {@link PoisonCharset}). */
    private static final String POISON = "POISON-PILL";

    private static RealDiagnosisPipeline pipeline;

    private MigratedPostgres postgres;
    private MessageStore store;
    private MicroBatcher batcher;
    private ServerSocket destination;
    private final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void load() {
        pipeline = RealDiagnosisPipeline.load(FHIR, new Hl7Charset(StandardCharsets.ISO_8859_1));
    }

    @AfterAll
    static void unload() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @BeforeEach
    void start() throws IOException {
        postgres = new MigratedPostgres();
        store = new MessageStore(postgres.dataSource(), Clock.systemUTC());
        batcher = new MicroBatcher(pipeline.models(), 4, Duration.ofMillis(5), 64, BatchListener.NONE);
        destination = new ServerSocket(0);
        Thread listener = new Thread(this::serve, "test-hl7-destination");
        listener.setDaemon(true);
        listener.start();
    }

    @AfterEach
    void stop() throws IOException {
        destination.close();
        batcher.close();
        postgres.close();
    }

    @Test
    void eachPermanentFailureEndsInFailedWithItsReasonAndAnAeInOneRound() throws Exception {
        long unreadable = stored("UNREAD1", "MSH|^~\\&|CART|WARD7|TAMER|TAMER|20261206090000||ORU^R01^ORU_R01|"
                + "UNREAD1|P|2.5.1|||AL|AL\rOBR|1||X\r");
        EcgRecord r = record(12);
        long rate = stored("RATE1", message(r.withSignal(EcgSignal.of(1e-300, r.signal().leads(), leads(r.signal()))),
                "RATE1"));
        float[][] flat = leads(r.signal());
        java.util.Arrays.fill(flat[0], Float.NaN);
        long noFinite = stored("NAN1", message(r.withSignal(EcgSignal.of(r.signal().samplingRateHz(),
                r.signal().leads(), flat)), "NAN1"));
        long poison = stored("OOM1", message(record(13), "OOM1").replace("OBR|1||", "OBR|1||" + POISON));

        worker(Duration.ofMinutes(2)).runOnce();

        assertFailed(unreadable, "cannot be read");
        assertFailed(rate, "cannot resample");
        assertFailed(noFinite, "no finite sample");
        assertFailed(poison, "OutOfMemoryError");
        await(() -> received.size() >= 4, "four AEs");
        for (String controlId : List.of("UNREAD1", "RATE1", "NAN1", "OOM1")) {
            String ack = received.stream().filter(f -> f.contains("\rMSA|AE|" + controlId + "|")).findFirst()
                    .orElseThrow(() -> new AssertionError("no AE for " + controlId + " in " + received));
            assertTrue(ack.contains("\rERR|"), ack);
        }
    }

    @Test
    void aMessageThatTakesLongerThanTheTimeoutEndsInFailed() throws Exception {
        long slow = stored("SLOW1", message(record(14), "SLOW1"));
        worker(Duration.ofMillis(1)).runOnce();
        assertFailed(slow, "no diagnosis within");
        await(() -> received.stream().anyMatch(f -> f.contains("\rMSA|AE|SLOW1|")), "an AE for SLOW1");
    }

    @Test
    void anErrorWhileProcessingOneMessageLeavesTheWorkerRunningAndTheNextMessageDiagnosed() throws Exception {
        long poison = stored("OOM2", message(record(15), "OOM2").replace("OBR|1||", "OBR|1||" + POISON));
        DiagnosisWorker worker = worker(Duration.ofMinutes(2));
        WorkerLoops loops = new WorkerLoops();
        try (WorkLoop loop = loops.register(new WorkLoop("test-diagnosis", worker::runOnce, Duration.ofMillis(20)))
                .start()) {
            await(() -> store.find(poison).orElseThrow().state() == MessageState.FAILED, "the poison message FAILED");
            long next = stored("NEXT2", message(record(16), "NEXT2"));
            await(() -> store.find(next).orElseThrow().state() == MessageState.DIAGNOSED, "the next one diagnosed");
            assertTrue(loop.isRunning());
            assertEquals(List.of(), loops.notRunning());
        }
        assertTrue(store.find(poison).orElseThrow().failureReason().orElseThrow().contains("OutOfMemoryError"));
    }

    @Test
    void aMessageOnWhichProcessingStoppedTwiceIsFailedWithoutBeingReadAgain() throws Exception {
        long victim = stored("DIED3", message(record(17), "DIED3"));
        for (int crash = 0; crash < 2; crash++) {
            // a gateway process claims the message, begins, and dies: its lease runs out, the count stays
            List<StoredMessage> claimed = store.claim(MessageState.PARSED, 1, "process-" + crash,
                    Duration.ofMillis(1));
            assertEquals(1, claimed.size());
            store.beginAttempt(List.of(victim), "process-" + crash);
            await(() -> leaseOver(victim), "the dead process's lease to end");
        }
        worker(Duration.ofMinutes(2)).runOnce();
        assertFailed(victim, "stopped abnormally 2 times");
        await(() -> received.stream().anyMatch(f -> f.contains("\rMSA|AE|DIED3|")), "an AE for DIED3");
    }

    @Test
    void aMessageOnWhichProcessingStoppedOnceIsTriedAgainOnItsOwnAndDiagnosed() throws Exception {
        long survivor = stored("DIED4", message(record(18), "DIED4"));
        store.claim(MessageState.PARSED, 1, "process-x", Duration.ofMillis(1));
        store.beginAttempt(List.of(survivor), "process-x");
        await(() -> leaseOver(survivor), "the dead process's lease to end");
        worker(Duration.ofMinutes(2)).runOnce();
        assertEquals(MessageState.DIAGNOSED, store.find(survivor).orElseThrow().state());
        assertEquals(0, store.poisonAttempts(List.of(survivor)).get(survivor), "reset by the normal end");
    }

    @Test
    void aResultBuiltButNotRecordedIsRecordedWithoutRunningInferenceAgain() throws Exception {
        long id = stored("KEPT5", message(record(19), "KEPT5"));
        BuiltResults built = new BuiltResults(4);
        String bundle = "{\"resourceType\":\"Bundle\",\"type\":\"transaction\"}";
        built.keep(store.find(id).orElseThrow(), new DiagnosisResult("kept-record", bundle, Optional.empty(),
                "0".repeat(64)));
        batcher.close(); // any inference would now fail with back pressure
        worker(Duration.ofMinutes(2), built).runOnce();
        StoredMessage m = store.find(id).orElseThrow();
        assertEquals(MessageState.DIAGNOSED, m.state(), m.failureReason().orElse(""));
        assertEquals(Optional.of(bundle), m.diagnosis());
        assertEquals(Optional.empty(), built.of(m), "forgotten once recorded");
    }

    @Test
    void readinessIsDownWhenALoopIsNotRunning() throws Exception {
        WorkerLoops loops = new WorkerLoops();
        ModelReadiness readiness = new ModelReadiness(pipeline.models(), store, batcher, loops);
        try (WorkLoop errors = loops.register(new WorkLoop("test-errors", () -> {
            throw new OutOfMemoryError("injected");
        }, Duration.ofMillis(10))).start()) {
            Thread.sleep(50);
            assertTrue(errors.isRunning(), "an Error does not end the loop");
            assertEquals(HealthStatus.UP, status(readiness));
            WorkLoop dead = loops.register(new WorkLoop("test-dies", DiagnosisFailureTest::sneakyThrow,
                    Duration.ofMillis(10))).start();
            await(() -> !dead.isRunning(), "the loop's thread to end");
            assertEquals(List.of("test-dies"), loops.notRunning());
            assertEquals(HealthStatus.DOWN, status(readiness));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Ends a loop's thread the way no unit of work should: a checked exception thrown past the compiler. */
    private static int sneakyThrow() {
        DiagnosisFailureTest.<RuntimeException>rethrow(new IOException("injected"));
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void rethrow(Throwable t) throws T {
        throw (T) t;
    }

    private static HealthStatus status(ModelReadiness readiness) {
        Publisher<HealthResult> result = readiness.getResult();
        HealthResult[] seen = new HealthResult[1];
        result.subscribe(new org.reactivestreams.Subscriber<>() {
            @Override
            public void onSubscribe(org.reactivestreams.Subscription s) {
                s.request(1);
            }

            @Override
            public void onNext(HealthResult r) {
                seen[0] = r;
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }

            @Override
            public void onComplete() {
            }
        });
        return seen[0].getStatus();
    }

    private boolean leaseOver(long id) {
        try (var c = postgres.dataSource().getConnection(); var s = c.prepareStatement(
                "SELECT lease_until < now() FROM message WHERE id = ?")) {
            s.setLong(1, id);
            try (var r = s.executeQuery()) {
                return r.next() && r.getBoolean(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private DiagnosisWorker worker(Duration timeout) {
        return worker(timeout, new BuiltResults(16));
    }

    private DiagnosisWorker worker(Duration timeout, BuiltResults built) {
        Hl7Charset charset = new Hl7Charset(StandardCharsets.ISO_8859_1);
        RecordReader reader = new RecordReader(pipeline.adapter(), new FhirResourceReader(FHIR), new EcgFhirMapper(
                new MdcLeadCodes()), new EcgFileReader(), new Hl7Charset(new PoisonCharset()));
        PermanentFailures failures = new PermanentFailures(store, new ApplicationAcknowledgements(
                new Hl7Acknowledgement("TAMER", "TEST"), charset, Clock.systemUTC()), Optional.of(new Hl7ResultSender(
                "127.0.0.1", destination.getLocalPort(), null, Duration.ofSeconds(10), StandardCharsets.ISO_8859_1)));
        return new DiagnosisWorker(store, reader, batcher, pipeline.results(), charset, failures, built,
                new DiagnosisWorker.Settings(
                "worker", 16, Duration.ofMinutes(2), new RetryPolicy(Duration.ofSeconds(30), Duration.ofMinutes(5), 5),
                timeout, 2));
    }

    private void assertFailed(long id, String reason) {
        StoredMessage m = store.find(id).orElseThrow();
        assertEquals(MessageState.FAILED, m.state(), m.controlId() + ": " + m.failureReason().orElse(""));
        assertTrue(m.failureReason().orElseThrow().contains(reason), m.controlId() + ": " + m.failureReason());
        assertEquals(0, m.attempts(), "ended at once, not retried");
    }

    private static EcgRecord record(int ecgId) {
        return pipeline.archive().read(Integer.toString(ecgId));
    }

    private static float[][] leads(EcgSignal s) {
        float[][] mv = new float[s.leadCount()][];
        for (int i = 0; i < mv.length; i++) {
            mv[i] = s.copyOfLead(i);
        }
        return mv;
    }

    /** An ECG message whose sender asks for application acknowledgements always (MSH-15/16 AL). */
    private static String message(EcgRecord record, String controlId) {
        return new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART", "WARD7")
                .withAcknowledgementTypes("AL", "AL").write(record, controlId, SENT);
    }

    /** Stored as an earlier gateway version without today's intake checks would have stored it: PARSED. */
    private long stored(String controlId, String message) {
        byte[] raw = message.getBytes(StandardCharsets.ISO_8859_1);
        return store.insert(new NewMessage(Channel.MLLP, controlId, Digests.sha256Hex(raw), raw, "127.0.0.1",
                MessageState.PARSED, Optional.of("ACK"), Optional.empty(), Optional.empty(), Optional.empty()))
                .message().id();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** The destination: records every frame, answers none (application acknowledgements need no answer). */
    private void serve() {
        while (!destination.isClosed()) {
            try (Socket socket = destination.accept()) {
                InputStream in = socket.getInputStream();
                ByteArrayOutputStream frame = null;
                int b;
                while ((b = in.read()) >= 0) {
                    if (b == 0x0B) {
                        frame = new ByteArrayOutputStream();
                    } else if (b == 0x1C && frame != null) {
                        received.add(frame.toString(StandardCharsets.ISO_8859_1));
                        frame = null;
                    } else if (frame != null) {
                        frame.write(b);
                    }
                }
            } catch (IOException e) {
                if (!destination.isClosed()) {
                    received.add("destination error: " + e);
                }
            }
        }
    }

    /**
     * ISO-8859-1, except that decoding bytes holding {@link #POISON} throws an OutOfMemoryError: a stand-in for a
     * decoder that runs out of memory on one message, injected where the worker reads the stored bytes.
     */
    private static final class PoisonCharset extends Charset {

        PoisonCharset() {
            super("X-TAMER-POISON-TEST", new String[0]);
        }

        @Override
        public boolean contains(Charset cs) {
            return cs.equals(this);
        }

        @Override
        public CharsetDecoder newDecoder() {
            return new CharsetDecoder(this, 1f, 1f) {
                private final StringBuilder seen = new StringBuilder();

                @Override
                protected CoderResult decodeLoop(ByteBuffer in, CharBuffer out) {
                    while (in.hasRemaining()) {
                        if (!out.hasRemaining()) {
                            return CoderResult.OVERFLOW;
                        }
                        char c = (char) (in.get() & 0xff);
                        seen.append(c);
                        if (seen.length() > POISON.length()) {
                            seen.deleteCharAt(0);
                        }
                        if (seen.toString().equals(POISON)) {
                            throw new OutOfMemoryError("injected while decoding the message");
                        }
                        out.put(c);
                    }
                    return CoderResult.UNDERFLOW;
                }
            };
        }

        @Override
        public CharsetEncoder newEncoder() {
            return StandardCharsets.ISO_8859_1.newEncoder();
        }
    }
}
