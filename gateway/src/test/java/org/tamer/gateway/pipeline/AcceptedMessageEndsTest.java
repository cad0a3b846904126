package org.tamer.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.SampledData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.model.BatchListener;
import org.tamer.gateway.model.MicroBatcher;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.gateway.testing.MigratedPostgres;
import org.tamer.gateway.testing.RealDiagnosisPipeline;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.OtherLead;
import org.tamer.runtime.testdata.SharedData;

/**
 * Every message the gateway acknowledges as accepted ends in a result or a reported error (issue 18, item 2): each
 * input that once got AA (or 201) and was then retried for hours or failed silently, built from real PTB-XL
 * records, is either refused at intake with the field and the reason, or diagnosed. The intake, the store
 * (PostgreSQL), the model and the diagnosis worker are the real ones.
 */
class AcceptedMessageEndsTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 12, 6, 9, 0, 0, 0, ZoneOffset.UTC);
    private static final Hl7Charset CHARSET = new Hl7Charset(StandardCharsets.ISO_8859_1);

    private static RealDiagnosisPipeline pipeline;

    private MigratedPostgres postgres;
    private MessageStore store;
    private MicroBatcher batcher;

    @BeforeAll
    static void load() {
        pipeline = RealDiagnosisPipeline.load(FHIR, CHARSET);
    }

    @AfterAll
    static void unload() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @BeforeEach
    void database() {
        postgres = new MigratedPostgres();
        store = new MessageStore(postgres.dataSource(), Clock.systemUTC());
        batcher = new MicroBatcher(pipeline.models(), 4, Duration.ofMillis(5), 64, BatchListener.NONE);
    }

    @AfterEach
    void drop() {
        batcher.close();
        postgres.close();
    }

    // ---- HL7 v2 over MLLP ----------------------------------------------------------------------------------

    @Test
    void aSpaceInMsh10IsDiagnosed() {
        assertDiagnosed(hl7(writer().write(record(1), "CTL 0001", SENT)));
    }

    @Test
    void aSpaceInPid3IsDiagnosed() {
        assertDiagnosed(hl7(writer().write(record(2).withSubjectReference("Patient/MRN 0002"), "P3SPACE", SENT)));
    }

    @Test
    void fifteenLeadsInChapter7AreDiagnosed() {
        EcgRecord twelve = record(3);
        EcgSignal s = twelve.signal();
        List<Lead> leads = new ArrayList<>(s.leads());
        float[][] mv = new float[15][];
        for (int i = 0; i < 12; i++) {
            mv[i] = s.copyOfLead(i);
        }
        for (int i = 0; i < 3; i++) {
            leads.add(new OtherLead("V" + (7 + i)));
            mv[12 + i] = s.copyOfLead(6 + i);
        }
        EcgRecord fifteen = twelve.withSignal(EcgSignal.of(s.samplingRateHz(), leads, mv));
        for (WaveformStyle style : List.of(WaveformStyle.CHAPTER_7_MULTIPLEXED, WaveformStyle.CHAPTER_7_PER_CHANNEL)) {
            assertDiagnosed(hl7(new Hl7WaveformWriter(style, "2.5.1", WaveformScale.MICROVOLT, "CART", "WARD7")
                    .write(fifteen, "L15" + style.ordinal(), SENT)));
        }
    }

    @Test
    void aSamplingRateTheModelCannotResampleIsRefusedAtIntake() {
        for (double rate : new double[] {1e-300, 1e300}) {
            EcgRecord r = record(4);
            EcgRecord odd = r.withSignal(EcgSignal.of(rate, r.signal().leads(), leads(r.signal())));
            String ack = hl7(writer().write(odd, "RATE" + (rate < 1 ? "LOW" : "HIGH"), SENT));
            assertRefused(ack, "resample");
        }
    }

    @Test
    void aLeadWithoutAFiniteSampleIsRefusedAtIntake() {
        EcgRecord r = record(5);
        float[][] mv = leads(r.signal());
        java.util.Arrays.fill(mv[4], Float.NaN);
        String ack = hl7(writer().write(r.withSignal(EcgSignal.of(r.signal().samplingRateHz(), r.signal().leads(),
                mv)), "NOFINITE", SENT));
        assertRefused(ack, "finite");
    }

    @Test
    void longFieldsWithinTheStandardsAreDiagnosed() {
        EcgRecord r = record(6);
        EcgRecord longOrder = new EcgRecord("O".repeat(250), r.subjectReference(), r.encounterReference(),
                r.acquisitionTime(), r.signal(), r.reportText(), r.source());
        assertDiagnosed(hl7(writer().write(longOrder, "OBR3LONG", SENT)));
        assertDiagnosed(hl7(new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART",
                "F".repeat(300)).write(record(7), "MSH4LONG", SENT)));
    }

    @Test
    void aControlIdBeyondTheStoreLimitIsRefusedNamingMsh10AndTheLimit() {
        String ack = hl7(writer().write(record(11), "C".repeat(600), SENT));
        assertRefused(ack, "512");
        String err = List.of(ack.split("\r")).stream().filter(s -> s.startsWith("ERR|")).findFirst().orElseThrow();
        assertTrue(err.contains("MSH^1^10"), "ERR-2 names MSH-10: " + err);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Hl7WaveformWriter writer() {
        return new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT, "CART", "WARD7");
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

    private String hl7(String message) {
        Hl7MessageIntake intake = new Hl7MessageIntake(pipeline.adapter(), new Hl7Acknowledgement("TAMER", "TEST"),
                store, new AuditEvents(FHIR, "tamer-gateway:test"), new GatewayMetrics(new SimpleMeterRegistry()),
                CHARSET, 8_388_608, ModelInputCheck.of(pipeline.models()), Clock.systemUTC());
        return new String(intake.receive(message.getBytes(StandardCharsets.ISO_8859_1), "10.0.0.9").orElseThrow(),
                StandardCharsets.ISO_8859_1);
    }

    private static String msa(String ack) {
        return List.of(ack.split("\r")).stream().filter(s -> s.startsWith("MSA|")).findFirst().orElseThrow();
    }

    private static void assertRefused(String ack, String reason) {
        assertTrue(msa(ack).startsWith("MSA|AE|"), "refused at intake: " + ack);
        String err = List.of(ack.split("\r")).stream().filter(s -> s.startsWith("ERR|")).findFirst().orElseThrow();
        assertTrue(err.contains(reason), "ERR names the reason: " + err);
    }

    /** The last stored message, once accepted, is diagnosed by the real worker, in one round. */
    private void assertDiagnosed(String ack) {
        assertTrue(msa(ack).startsWith("MSA|AA|"), "accepted: " + ack);
        long last = 0;
        while (store.find(last + 1).isPresent()) {
            last++;
        }
        assertDiagnosed(last);
    }

    private void assertDiagnosed(long id) {
        DiagnosisWorker worker = new DiagnosisWorker(store, pipeline.reader(), batcher, pipeline.results(), CHARSET,
                new PermanentFailures(store, new ApplicationAcknowledgements(new Hl7Acknowledgement("TAMER", "TEST"),
                        CHARSET, Clock.systemUTC()), Optional.empty()), new BuiltResults(16),
                new DiagnosisWorker.Settings("test", 16, Duration.ofMinutes(2), new RetryPolicy(Duration.ofMillis(10),
                        Duration.ofMillis(10), 3), Duration.ofMinutes(2), 2));
        worker.runOnce();
        StoredMessage m = store.find(id).orElseThrow();
        assertEquals(MessageState.DIAGNOSED, m.state(), "message " + m.controlId() + ": "
                + m.failureReason().orElse("") + " (attempts " + m.attempts() + ")");
        assertTrue(m.diagnosis().orElseThrow().contains("\"resourceType\":\"Bundle\""));
    }

    // ---- FHIR and uploads --------------------------------------------------------------------------------

    private FhirIntake fhirIntake() {
        return new FhirIntake(pipeline.reader(), store, new AuditEvents(FHIR, "tamer-gateway:test"),
                new GatewayMetrics(new SimpleMeterRegistry()), ModelInputCheck.of(pipeline.models()),
                Clock.systemUTC());
    }

    private static Observation observation(int ecgId) {
        Observation o = new EcgFhirMapper(new MdcLeadCodes()).toObservation(record(ecgId));
        o.setId((String) null);
        o.getIdentifier().clear();
        o.addIdentifier().setSystem("urn:example:ecg").setValue("ecg-" + ecgId);
        return o;
    }

    private static String json(Observation o) {
        return FHIR.newJsonParser().encodeResourceToString(o);
    }

    @Test
    void aSpaceInAFhirSubjectIsDiagnosed() {
        Observation o = observation(8);
        o.getSubject().setReference("Patient/MRN 0008");
        FhirIntake.Outcome outcome = fhirIntake().acceptResource(json(o), "10.0.0.9", Optional.empty());
        assertEquals(201, outcome.status(), outcome.problem().orElse(""));
        assertDiagnosed(outcome.messageId());
    }

    @Test
    void aSampledDataPeriodTheModelCannotResampleIsRefusedAtIntakeNamingThePath() {
        for (double periodMs : new double[] {1e-9, 1e9}) {
            Observation o = observation(9);
            o.getComponent().forEach(c -> ((SampledData) c.getValue()).setPeriod(periodMs));
            FhirIntake.Outcome outcome = fhirIntake().acceptResource(json(o), "10.0.0.9", Optional.empty());
            assertEquals(422, outcome.status(), "period " + periodMs + " ms: " + outcome.problem().orElse(""));
            assertTrue(outcome.problem().orElseThrow().contains("resample"), outcome.problem().orElseThrow());
            assertEquals(Optional.of("Observation.component.value.ofType(SampledData).period"), outcome.expression());
            assertEquals(MessageState.FAILED, store.find(outcome.messageId()).orElseThrow().state());
        }
    }

    @Test
    void aFhirIdentifierOf300CharactersIsDiagnosedAndOneBeyondTheLimitIsRefusedNamingIt() {
        Observation o = observation(10);
        o.getIdentifierFirstRep().setValue("I".repeat(300));
        FhirIntake.Outcome outcome = fhirIntake().acceptResource(json(o), "10.0.0.9", Optional.empty());
        assertEquals(201, outcome.status(), outcome.problem().orElse(""));
        assertDiagnosed(outcome.messageId());

        o.getIdentifierFirstRep().setValue("I".repeat(4001));
        FhirIntake.Outcome refused = fhirIntake().acceptResource(json(o), "10.0.0.9", Optional.empty());
        assertEquals(422, refused.status());
        assertTrue(refused.problem().orElseThrow().contains("4000"), refused.problem().orElseThrow());
        assertEquals(Optional.of("Observation.identifier.value"), refused.expression());
    }

    @Test
    void anUploadNameOver255BytesIsRefusedNamingTheLimit() throws Exception {
        byte[] dicom = java.nio.file.Files.readAllBytes(SharedData.file("formats/dicom-waveform_ecg.dcm"));
        FhirIntake.Outcome refused = fhirIntake().acceptUpload(dicom, "n".repeat(300) + ".dcm", "10.0.0.9");
        assertEquals(422, refused.status());
        assertTrue(refused.problem().orElseThrow().contains("255"), refused.problem().orElseThrow());
        assertEquals(Optional.of("name"), refused.expression());
        assertEquals(MessageState.FAILED, store.find(refused.messageId()).orElseThrow().state());

        FhirIntake.Outcome accepted = fhirIntake().acceptUpload(dicom, "n".repeat(251) + ".dcm", "10.0.0.9");
        assertEquals(201, accepted.status(), accepted.problem().orElse(""));
        assertDiagnosed(accepted.messageId());
    }
}
