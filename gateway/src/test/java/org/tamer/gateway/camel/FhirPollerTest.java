package org.tamer.gateway.camel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.EcgCodes;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.pipeline.FhirIntake;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.PollCursorStore;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.gateway.testing.MigratedH2;
import org.tamer.gateway.testing.RealFhirIntake;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.route.FhirPollingRoute;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.testdata.SharedData;

/**
 * The {@code fhir-poll} route (camel-fhir) against a real HAPI FHIR server on a loopback port holding 12-lead ECG
 * Observations made from real PTB-XL recordings, feeding the gateway's real FHIR intake and store (H2 with the real
 * migrations). Paging, the code filter, the cursor, an outage of the server, a restart of the poller, an unusable
 * Observation and a gateway's own write-back are each checked against what ends up in the store.
 */
class FhirPollerTest {

    private static final PtbXlArchive PTB_XL = new PtbXlArchive(SharedData.ptbXl(), true,
            ReportLanguage.ENGLISH_STATEMENTS);
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path directory;

    private final FhirContext context = FhirContext.forR4Cached();
    private final EcgFhirMapper mapper = new EcgFhirMapper(new MdcLeadCodes());
    private final EcgObservationServer server = new EcgObservationServer();
    private MessageStore store;
    private PollCursorStore cursors;
    private FhirIntake intake;
    private RouteRunner poller;
    private FhirPollingRoute route;

    @BeforeEach
    void start() throws Exception {
        DataSource database = MigratedH2.in(directory);
        store = new MessageStore(database, Clock.systemUTC());
        cursors = new PollCursorStore(database, Clock.systemUTC());
        intake = RealFhirIntake.over(store);
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (poller != null) {
            poller.close();
        }
        server.close();
    }

    private FhirPollingRoute.Settings settings() {
        return new FhirPollingRoute.Settings(URI.create(server.baseUrl()), "Observation?code=http://loinc.org|11524-6",
                Duration.ofMillis(300), 2, 20, Optional.of(Instant.parse("2020-01-01T00:00:00Z")), Optional.empty(),
                Duration.ofSeconds(20));
    }

    private RouteRunner startPoller() throws Exception {
        route = new FhirPollingRoute(settings(), intake, cursors, context, Clock.systemUTC());
        return new RouteRunner(route);
    }

    private Observation ecg(int ecgId) {
        EcgRecord record = PTB_XL.read(Integer.toString(ecgId));
        return mapper.toObservation(record);
    }

    private static Observation impression(String text) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept(new Coding(EcgCodes.LOINC, EcgCodes.LOINC_EKG_IMPRESSION, "EKG impression")));
        o.setValue(new StringType(text));
        return o;
    }

    /** Messages in the store, whatever their state. */
    private long storedCount() {
        return store.countsByState().values().stream().mapToLong(Long::longValue).sum();
    }

    /** The messages stored for the Observation {@code id} (version 1) of the test server. */
    private List<StoredMessage> storedFor(String id) {
        return store.findByControlId(Channel.FHIR, server.baseUrl() + "/Observation/" + id + "/_history/1");
    }

    /**
     * Waits for a condition while the poller makes progress (searches answered, polls failed or completed, messages
     * stored); fails only after {@link #WAIT} without any, so a loaded machine is slower, not failed.
     */
    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        String last = progress();
        long lastChange = System.nanoTime();
        while (!condition.getAsBoolean()) {
            String now = progress();
            if (!now.equals(last)) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > WAIT.toNanos()) {
                throw new AssertionError("no progress for " + WAIT + " waiting for " + what + "; last seen " + now);
            }
            Thread.sleep(50);
        }
    }

    private String progress() {
        return server.searches() + " searches, " + (route == null ? "no poller" : route.completedPolls()
                + " polls completed, " + route.failedPolls() + " failed") + ", " + storedCount() + " stored";
    }

    /** Waits until the server has answered {@code more} further searches, i.e. whole polls have run. */
    private void awaitPolls(int more) throws InterruptedException {
        int target = server.searches() + more;
        await(more + " more polls", () -> server.searches() >= target);
    }

    @Test
    void storesEveryEcgObservationOnceAcrossPagesPollsAnOutageAndARestart() throws Exception {
        List<String> expected = new ArrayList<>();
        for (int ecgId = 1; ecgId <= 5; ecgId++) {
            expected.add(server.add(ecg(ecgId)).getIdElement().getIdPart());
        }
        server.add(impression("sinus rhythm, normal ECG"));
        Observation writtenBack = ecg(9);
        writtenBack.getMeta().addTag(WriteBackBundleBuilder.WRITE_BACK_TAG_SYSTEM, "ptbxl-9/0123456789abcdef", null);
        server.add(writtenBack);
        Observation broken = ecg(6);
        broken.getComponentFirstRep().getValueSampledData().setData("12 7 x 3");
        String brokenId = server.add(broken).getIdElement().getIdPart();

        poller = startPoller();
        await("six ECG Observations stored", () -> storedCount() >= 6);
        awaitPolls(3);
        assertEquals(6, storedCount(), "five ECGs and the broken one; the impression does not match the query, "
                + "and the waveform a gateway wrote back is passed over");
        assertEquals("_lastUpdated ASC", server.lastSort());
        for (String id : expected) {
            List<StoredMessage> m = storedFor(id);
            assertEquals(1, m.size(), id);
            assertEquals(MessageState.PARSED, m.get(0).state(), id);
        }
        StoredMessage failed = storedFor(brokenId).get(0);
        assertEquals(MessageState.FAILED, failed.state());
        assertTrue(failed.failureReason().orElseThrow().contains("12 7 x 3")
                || failed.failureReason().orElseThrow().contains("valueSampledData"), failed.failureReason().get());
        Instant cursor = cursors.load(settings().source()).orElseThrow();
        assertFalse(cursor.isBefore(Instant.now().minusSeconds(120)), "cursor moved to the newest Observation");

        long failedBefore = route.failedPolls();
        server.stop();
        await("a poll failing while the server is down", () -> route.failedPolls() >= failedBefore + 2);
        String duringOutage = server.add(ecg(7)).getIdElement().getIdPart();
        server.start();
        long completedBefore = route.completedPolls();
        await("the Observation added while the server was down", () -> storedCount() == 7);
        await("a poll completing again after the outage", () -> route.completedPolls() > completedBefore);

        poller.close();
        poller = startPoller();
        String afterRestart = server.add(ecg(8)).getIdElement().getIdPart();
        await("the Observation added after the poller restarted", () -> storedCount() >= 8);
        awaitPolls(3);

        assertEquals(8, storedCount(), "nothing stored twice");
        assertEquals(1, storedFor(duringOutage).size());
        List<StoredMessage> last = storedFor(afterRestart);
        assertEquals(1, last.size());
        EcgRecord read = mapper.toRecord((Observation) new FhirResourceReader(context).parse(
                new String(last.get(0).raw(), StandardCharsets.UTF_8)));
        assertEquals(mapper.toRecord(ecg(8)).signal(), read.signal(), "the waveform arrived whole");
    }

    @Test
    void settingsRejectAQueryThatSetsWhatThePollerControls() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new FhirPollingRoute.Settings(URI.create("http://127.0.0.1/fhir"),
                        "Observation?_lastUpdated=gt2020", Duration.ofSeconds(1), 10, 1, Optional.empty(),
                        Optional.empty(), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("tamer.fhir-poll.query"), e.getMessage());
    }
}
