package org.tamer.gateway.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.delivery.FhirServerClient;
import org.tamer.gateway.model.LoadedModel;
import org.tamer.gateway.model.ModelResult;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.testing.JpaFhirServer;
import org.tamer.gateway.testing.RealDiagnosisPipeline;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.Digests;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/**
 * Distinct ECGs never share a result, and a resend creates none, at a real HAPI FHIR JPA server: every message goes
 * the gateway's way (read as the diagnosis worker reads it, scored by the default model, built by
 * {@link ResultBuilder}, posted by {@link FhirServerClient}), and the server's own conditional creates decide. The
 * oracle is the test's construction: how many different ECGs from which senders it sent.
 */
class ResultIdentityJpaTest {

    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 12, 6, 9, 0, 0, 0, ZoneOffset.UTC);
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final CacheControlDirective UNCACHED = new CacheControlDirective().setNoCache(true);

    private static JpaFhirServer server;
    private static RealDiagnosisPipeline pipeline;
    private static FhirServerClient client;
    private static final Hl7Charset CHARSET = new Hl7Charset(StandardCharsets.ISO_8859_1);

    @BeforeAll
    static void start() throws Exception {
        server = JpaFhirServer.start();
        pipeline = RealDiagnosisPipeline.load(FHIR, CHARSET);
        client = new FhirServerClient(URI.create(server.baseUrl()), FHIR, Duration.ofMinutes(2));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (pipeline != null) {
                pipeline.close();
            }
        } finally {
            server.close();
        }
    }

    @Test
    void hl7DistinctEcgsWithOneOrderNumberSendersWithOneControlIdAndResends() throws Exception {
        int before = diagnoses();
        Hl7WaveformWriter cartA = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT,
                "ECGCART", "WARD-A");
        Hl7WaveformWriter cartB = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT,
                "ECGCART", "WARD-B");
        // two different ECGs with the same OBR-3 from one sender
        deliver(Channel.MLLP, cartA.write(renamed(1, "ORD-1"), "C1", SENT), "C1");
        deliver(Channel.MLLP, cartA.write(renamed(2, "ORD-1"), "C2", SENT), "C2");
        // two senders, the same control id, different ECGs
        deliver(Channel.MLLP, cartB.write(renamed(3, "ORD-7"), "C1", SENT), "C1");
        // the other sender, the same control id and order number as the first one's, the first one's ECG
        deliver(Channel.MLLP, cartB.write(renamed(1, "ORD-1"), "C1", SENT), "C1");
        assertEquals(before + 4, diagnoses(), "four distinct ECGs (sender, order number, waveform): four results");

        // resends: the same ECG under a new control id, and the very same message again
        deliver(Channel.MLLP, cartA.write(renamed(1, "ORD-1"), "C9", SENT.plusMinutes(5)), "C9");
        deliver(Channel.MLLP, cartA.write(renamed(2, "ORD-1"), "C2", SENT), "C2");
        assertEquals(before + 4, diagnoses(), "resends create nothing");
    }

    @Test
    void fhirIdentifiersOfTwoSystemsWithOneValueAreTwoEcgs() throws Exception {
        int before = diagnoses();
        String example = observation(4, "urn:example:ecg", "x");
        String other = observation(5, "urn:other-hospital:ecg", "x");
        deliver(Channel.FHIR, example, "F1");
        deliver(Channel.FHIR, other, "F2");
        assertEquals(before + 2, diagnoses());
        deliver(Channel.FHIR, example, "F3");
        assertEquals(before + 2, diagnoses(), "a resend of the first creates nothing");

        Bundle found = server.client().search().forResource(Observation.class)
                .where(Observation.IDENTIFIER.exactly().systemAndIdentifier("urn:other-hospital:ecg", "x"))
                .cacheControl(UNCACHED).returnBundle(Bundle.class).execute();
        assertEquals(1, found.getTotal(), "the waveform keeps the sender's identifier system");
    }

    @Test
    void anUploadedFileIsKnownByItsContentNotItsName() throws Exception {
        int before = diagnoses();
        byte[] dicom = Files.readAllBytes(SharedData.file("formats/dicom-waveform_ecg.dcm"));
        upload(dicom, "ecg-0001.dcm");
        upload(dicom, "renamed-by-the-archive.dcm");
        assertEquals(before + 1, diagnoses(), "the same DICOM under a new name is a resend");
        // no second public DICOM ECG exists: another real recording (the HL7 aECG sample) under the DICOM's name
        upload(Files.readAllBytes(SharedData.file("formats/hl7-aecg-example.xml")), "ecg-0001.dcm");
        assertEquals(before + 2, diagnoses(), "a different ECG under an old name is new");
    }

    private static EcgRecord renamed(int ecgId, String orderNumber) {
        EcgRecord r = pipeline.archive().read(Integer.toString(ecgId));
        return new EcgRecord(orderNumber, r.subjectReference(), r.encounterReference(), r.acquisitionTime(),
                r.signal(), r.reportText(), r.source());
    }

    private static String observation(int ecgId, String system, String value) {
        Observation o = new EcgFhirMapper(new MdcLeadCodes())
                .toObservation(pipeline.archive().read(Integer.toString(ecgId)));
        o.setId((String) null);
        o.getIdentifier().clear();
        o.addIdentifier().setSystem(system).setValue(value);
        return FHIR.newJsonParser().encodeResourceToString(o);
    }

    /** An upload is stored under {@code name@sha} (FhirIntake.acceptUpload) and read back under that name. */
    private static void upload(byte[] file, String name) throws Exception {
        deliver(Channel.UPLOAD, file, name + "@" + Digests.sha256Hex(file).substring(0, 32));
    }

    private static void deliver(Channel channel, String message, String controlId) throws Exception {
        deliver(channel, channel == Channel.MLLP ? message.getBytes(StandardCharsets.ISO_8859_1)
                : message.getBytes(StandardCharsets.UTF_8), controlId);
    }

    /** What the diagnosis and delivery workers do with a stored message. */
    private static void deliver(Channel channel, byte[] raw, String controlId) throws Exception {
        EcgRecord record = pipeline.reader().read(channel, raw, controlId);
        LoadedModel model = pipeline.models().current();
        var diagnosis = model.classifier().classify(List.of(model.preprocessor().apply(record))).get(0);
        DiagnosisResult built = pipeline.results().build(channel, controlId, raw, CHARSET, record,
                new ModelResult(diagnosis, model));
        client.transaction(built.bundleJson());
    }

    /**
     * Diagnosis Observations at the server (one per result). Asked with {@code Cache-Control: no-cache}: a HAPI JPA
     * server answers a search it has run within the last minute from its search cache (JpaStorageSettings
     * reuseCachedSearchResultsForMillis, 60 s by default), so without it every count after the first one repeats the
     * first one's answer, whatever was written in between.
     */
    private static int diagnoses() {
        Bundle found = server.client().search().forResource(Observation.class)
                .where(Observation.IDENTIFIER.hasSystemWithAnyCode(WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM))
                .summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT).cacheControl(UNCACHED)
                .returnBundle(Bundle.class).execute();
        assertTrue(found.hasTotal());
        return found.getTotal();
    }
}
