package org.tamer.gateway.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.CacheControlDirective;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import com.nimbusds.jose.JWSAlgorithm;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.FhirResourceReader;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.FhirPackage;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.fhir.validation.EcgValidator;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.config.OutboundFactory;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.model.LoadedModel;
import org.tamer.gateway.model.ModelResult;
import org.tamer.gateway.model.ModelService;
import org.tamer.gateway.outbound.HapiClientAuthorization;
import org.tamer.gateway.outbound.OutboundAuthorization;
import org.tamer.gateway.outbound.OutboundSettings;
import org.tamer.gateway.outbound.SmartBackendServices;
import org.tamer.gateway.outbound.SmartClientKeys;
import org.tamer.gateway.pipeline.ApplicationAcknowledgements;
import org.tamer.gateway.pipeline.DeliveryWorker;
import org.tamer.gateway.pipeline.DiagnosisResult;
import org.tamer.gateway.pipeline.Hl7Charset;
import org.tamer.gateway.pipeline.ModelReporting;
import org.tamer.gateway.pipeline.RecordReader;
import org.tamer.gateway.pipeline.ResultBuilder;
import org.tamer.gateway.pipeline.RetryPolicy;
import org.tamer.gateway.pipeline.SourceIdentities;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.NewMessage;
import org.tamer.gateway.store.StoredMessage;
import org.tamer.gateway.testing.JpaFhirServer;
import org.tamer.gateway.testing.MigratedH2;
import org.tamer.gateway.testing.SmartAuthorizationServer;
import org.tamer.gateway.testing.SmartResourceServerGuard;
import org.tamer.gateway.testing.TestCertificates;
import org.tamer.routes.adapters.EcgFileReader;
import org.tamer.routes.adapters.ptbxl.PtbXlArchive;
import org.tamer.routes.adapters.ptbxl.ReportLanguage;
import org.tamer.routes.hl7.Hl7Acknowledgement;
import org.tamer.routes.hl7.Hl7WaveformAdapter;
import org.tamer.routes.hl7.Hl7WaveformWriter;
import org.tamer.routes.hl7.WaveformScale;
import org.tamer.routes.hl7.WaveformStyle;
import org.tamer.runtime.Digests;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.engine.ComputeEngine;
import org.tamer.runtime.testdata.SharedData;

/**
 * The write-back path end to end under SMART Backend Services: real PTB-XL ECGs, scored by the default model and
 * built into result Bundles by {@link ResultBuilder}, wait in a message store (H2 with the real migrations) and are
 * delivered by the real {@link DeliveryWorker} and {@link FhirServerClient}, whose credential comes from
 * {@link OutboundSettings} read from {@code tamer.fhir.*} configuration ({@code auth.type: smart}, no token URL:
 * discovered) as in production.
 *
 * <p>The servers are real: a HAPI FHIR JPA server ({@link JpaFhirServer}) made a SMART resource server by
 * {@link SmartResourceServerGuard} (it serves {@code .well-known/smart-configuration}; every request needs a bearer
 * token whose signature verifies against the authorization server's published JWKS, with that issuer, this server
 * as audience, not expired, not revoked, and scopes that allow each resource created), and an OAuth 2
 * authorization server ({@link SmartAuthorizationServer}: nav's mock-oauth2-server). mock-oauth2-server 2.1.10
 * itself does not verify {@code private_key_jwt} client assertions on the client credentials grant (it parses them
 * and issues a token to anyone); the fixture adds that check through the server's supported extension point, an
 * extra request route ahead of the token endpoint, which verifies the assertion's signature against the public keys
 * registered for the client, {@code iss}/{@code sub}, {@code aud} (the token endpoint), {@code exp} at most five
 * minutes ahead and a fresh {@code jti}, and answers 401 {@code invalid_client} otherwise.
 *
 * <p>The FHIR server also listens on HTTPS with a keytool certificate for {@code localhost}: delivery there works
 * with {@code tamer.fhir.tls.trust-store}, and the same server asked by an address its certificate does not name
 * is refused with the host name problem in the message's failure reason.
 *
 * <p>The oracle is the FHIR server's content and its own counts: each result's diagnosis Observation is there
 * exactly once, each message's transaction succeeded exactly once, and the store's states and failure reasons.
 */
class SmartDeliveryJpaTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final Hl7Charset CHARSET = new Hl7Charset(StandardCharsets.ISO_8859_1);
    private static final ZonedDateTime SENT = ZonedDateTime.of(2026, 12, 6, 4, 0, 0, 0, ZoneOffset.UTC);
    private static final String GATEWAY = "tamer-gateway";
    private static final String READER = "test-reader";
    private static final String DIAGNOSIS_OWNER = "test-diagnosis";

    @TempDir
    static Path directory;

    private static JpaFhirServer fhir;
    private static SmartAuthorizationServer authorization;
    private static SmartResourceServerGuard guard;
    private static SmartClientKeys gatewayKeys;
    private static IGenericClient reader;
    /** The FHIR server's HTTPS port; its certificate names {@code localhost} only. */
    private static int tlsPort;
    private static Path trustStore;
    /** PTB-XL ecg_id → its message and result, built once by the gateway's own classes. */
    private static final Map<Integer, Diagnosed> RESULTS = new HashMap<>();

    /** A message as the intake stored it and the result the diagnosis worker built for it. */
    private record Diagnosed(String controlId, byte[] raw, DiagnosisResult result, String diagnosisKey) {
    }

    @BeforeAll
    static void start() throws Exception {
        fhir = JpaFhirServer.start();
        authorization = new SmartAuthorizationServer(fhir.baseUrl());
        guard = new SmartResourceServerGuard(authorization.issuer(), authorization.jwksUrl(),
                authorization.tokenEndpoint(), fhir.baseUrl());
        fhir.registerInterceptor(guard);
        gatewayKeys = SmartClientKeys.loadOrCreate(directory.resolve("gateway-keys.jwks.json"));
        authorization.register(GATEWAY, gatewayKeys.publicKeys());

        SmartClientKeys readerKeys = SmartClientKeys.loadOrCreate(directory.resolve("reader-keys.jwks.json"));
        authorization.register(READER, readerKeys.publicKeys());
        reader = fhir.client();
        reader.registerInterceptor(new HapiClientAuthorization(new SmartBackendServices(
                new SmartBackendServices.Settings(URI.create(fhir.baseUrl()), READER, OutboundFactory.POLL_SCOPE,
                        Optional.of(authorization.tokenEndpoint()), Optional.empty(), true, Duration.ofMinutes(1)),
                readerKeys.signingKey(JWSAlgorithm.ES384, null), HttpClient.newHttpClient(), Clock.systemUTC())));

        diagnose(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20));

        TestCertificates certificates = new TestCertificates(directory);
        Path serverKeys = certificates.keyStore("ehr-localhost", "localhost", "dns:localhost");
        trustStore = certificates.trustStore("gateway-trusts", serverKeys);
        tlsPort = fhir.serveTls(serverKeys, TestCertificates.PASSWORD);
    }

    @AfterAll
    static void stop() {
        try {
            if (authorization != null) {
                authorization.close();
            }
        } finally {
            if (fhir != null) {
                fhir.close();
            }
        }
    }

    /** Reads, scores and builds results for PTB-XL records as the diagnosis worker does, over HL7 v2 messages. */
    private static void diagnose(List<Integer> ecgIds) throws Exception {
        Path repository = Path.of(System.getProperty("tamer.repository.root", "..")).toAbsolutePath().normalize();
        MdcLeadCodes codes = new MdcLeadCodes();
        EcgFhirMapper mapper = new EcgFhirMapper(codes);
        FhirPackage fhirPackage = FhirPackage.load();
        WriteBackBundleBuilder bundles = new WriteBackBundleBuilder(mapper, new ClassTerminology(fhirPackage, FHIR),
                "https://tamer-ecg.org/fhir/CodeSystem/ptbxl-statement", "NORM");
        ResultBuilder results = new ResultBuilder(bundles, new SourceIdentities(new FhirResourceReader(FHIR),
                mapper), ModelReporting.NONE, FHIR, Optional.of(new EcgValidator(FHIR, fhirPackage)), "TAMER",
                "TAMER", Clock.systemUTC());
        PtbXlArchive archive = new PtbXlArchive(SharedData.ptbXl(), true, ReportLanguage.ENGLISH_STATEMENTS);
        Hl7WaveformWriter cart = new Hl7WaveformWriter(WaveformStyle.IHE_PCD_01, "2.5.1", WaveformScale.MICROVOLT,
                "ECGCART", "WARD-S");
        try (ModelService models = new ModelService(repository.resolve("models/tamer-ptbxl-default"),
                ComputeEngine.load()); Hl7WaveformAdapter adapter = new Hl7WaveformAdapter(codes)) {
            RecordReader records = new RecordReader(adapter, new FhirResourceReader(FHIR), mapper,
                    new EcgFileReader(), CHARSET);
            LoadedModel model = models.current();
            List<String> controlIds = new ArrayList<>();
            List<byte[]> messages = new ArrayList<>();
            List<EcgRecord> read = new ArrayList<>();
            for (int ecgId : ecgIds) {
                String controlId = "SMART-" + ecgId;
                byte[] raw = cart.write(archive.read(Integer.toString(ecgId)), controlId, SENT)
                        .getBytes(StandardCharsets.ISO_8859_1);
                controlIds.add(controlId);
                messages.add(raw);
                read.add(records.read(Channel.MLLP, raw, controlId));
            }
            // one batch, as the diagnosis worker's micro-batches
            var diagnoses = model.classifier().classify(read.stream().map(r -> model.preprocessor().apply(r))
                    .toList());
            for (int i = 0; i < ecgIds.size(); i++) {
                DiagnosisResult result = results.build(Channel.MLLP, controlIds.get(i), messages.get(i), CHARSET,
                        read.get(i), new ModelResult(diagnoses.get(i), model));
                RESULTS.put(ecgIds.get(i), new Diagnosed(controlIds.get(i), messages.get(i), result,
                        diagnosisKey(result.bundleJson())));
            }
        }
    }

    /** The identifier value of the result's diagnosis Observation. */
    private static String diagnosisKey(String bundleJson) {
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, bundleJson);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Observation o) {
                for (Identifier identifier : o.getIdentifier()) {
                    if (WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM.equals(identifier.getSystem())) {
                        return identifier.getValue();
                    }
                }
            }
        }
        throw new AssertionError("no diagnosis Observation in the result Bundle");
    }

    /** A store of its own holding the given results as the diagnosis worker leaves them: DIAGNOSED. */
    private static Map<Integer, Long> stored(MessageStore store, List<Integer> ecgIds) {
        Map<Integer, Long> ids = new LinkedHashMap<>();
        for (int ecgId : ecgIds) {
            Diagnosed d = RESULTS.get(ecgId);
            StoredMessage m = store.insert(new NewMessage(Channel.MLLP, d.controlId(), Digests.sha256Hex(d.raw()),
                    d.raw(), "127.0.0.1", MessageState.PARSED, Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(new NewMessage.Lease(DIAGNOSIS_OWNER, Duration.ofMinutes(5))))).message();
            assertTrue(store.markDiagnosed(m.id(), DIAGNOSIS_OWNER, d.result().recordId(), d.result().bundleJson(),
                    d.result().hl7Result().orElse(null), d.result().modelSha256()));
            ids.put(ecgId, m.id());
        }
        return ids;
    }

    private static MessageStore store(String name) {
        return new MessageStore(MigratedH2.in(directory.resolve(name)), Clock.systemUTC());
    }

    /**
     * The write-back client as {@code OutboundFactory} makes it from configuration: SMART Backend Services with
     * the token endpoint discovered from the FHIR server's {@code .well-known/smart-configuration}.
     */
    private static FhirServerClient writeBack(String clientId, SmartClientKeys keys) {
        return writeBack(clientId, keys, fhir.baseUrl(), Map.of());
    }

    /** The same, to {@code base}, with further {@code tamer.fhir.*} settings (TLS, a configured token URL). */
    private static FhirServerClient writeBack(String clientId, SmartClientKeys keys, String base,
                                              Map<String, Object> more) {
        Map<String, Object> properties = new HashMap<>(more);
        properties.put("tamer.fhir.server-url", base);
        properties.put("tamer.fhir.allow-plaintext", "true");
        properties.put("tamer.fhir.auth.type", "smart");
        properties.put("tamer.fhir.auth.client-id", clientId);
        properties.put("tamer.fhir.auth.algorithm", "RS384");
        OutboundSettings settings = OutboundSettings.read(new PropertySourcePropertyResolver(
                PropertySource.of("test", properties)), "tamer.fhir", OutboundFactory.WRITE_BACK_SCOPE);
        URI uri = URI.create(base);
        Duration timeout = Duration.ofMinutes(2);
        HttpClient http = settings.httpClient(timeout);
        OutboundAuthorization credential = settings.authorization(uri, http, () -> keys, Optional.empty(), timeout,
                Clock.systemUTC());
        return new FhirServerClient(uri, FHIR, timeout, http, credential);
    }

    private static DeliveryWorker worker(MessageStore store, FhirServerClient client, int claimSize) {
        return new DeliveryWorker(store, Optional.of(client), Optional.empty(),
                new ApplicationAcknowledgements(new Hl7Acknowledgement("TAMER", "TEST"), CHARSET, Clock.systemUTC()),
                new AuditEvents(FHIR, "tamer-gateway:test"), new GatewayMetrics(new SimpleMeterRegistry()),
                "gateway-test", claimSize, Duration.ofMinutes(5),
                new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 5), Clock.systemUTC());
    }

    /** Runs the worker until no message waits for delivery (each run delivers what is due). */
    private static void deliverAll(MessageStore store, DeliveryWorker worker) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (store.countsByState().getOrDefault(MessageState.DIAGNOSED, 0L) > 0) {
            assertTrue(Instant.now().isBefore(deadline), "results still waiting after 5 minutes: "
                    + store.countsByState());
            if (worker.runOnce() == 0) {
                Thread.sleep(50);
            }
        }
    }

    /**
     * How many diagnosis Observations with this key the FHIR server holds (read with a token of its own). HAPI JPA
     * reuses the result of an identical search for a minute by default; {@code no-cache} asks it to search again.
     */
    private static int atServer(String diagnosisKey) {
        Bundle found = reader.search().forResource(Observation.class)
                .cacheControl(new CacheControlDirective().setNoCache(true))
                .where(Observation.IDENTIFIER.exactly().systemAndCode(
                        WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM, diagnosisKey))
                .summaryMode(ca.uhn.fhir.rest.api.SummaryEnum.COUNT).returnBundle(Bundle.class).execute();
        return found.getTotal();
    }

    private static void assertDeliveredExactlyOnce(MessageStore store, Map<Integer, Long> ids) {
        for (Map.Entry<Integer, Long> e : ids.entrySet()) {
            StoredMessage m = store.find(e.getValue()).orElseThrow();
            assertEquals(MessageState.DELIVERED, m.state(), "PTB-XL " + e.getKey() + ": " + m.failureReason());
            assertEquals(0, m.attempts(), "PTB-XL " + e.getKey() + " needed no retry");
            assertEquals(1, atServer(RESULTS.get(e.getKey()).diagnosisKey()), "PTB-XL " + e.getKey()
                    + "'s diagnosis at the FHIR server");
        }
    }

    @Test
    void realResultsReachTheFhirServerWithATokenFromTheAuthorizationServer() throws Exception {
        List<Integer> ecgIds = List.of(1, 2, 3, 4);
        for (int ecgId : ecgIds) {
            assertEquals(0, atServer(RESULTS.get(ecgId).diagnosisKey()), "not there before");
        }
        FhirServerClient anonymous = new FhirServerClient(URI.create(fhir.baseUrl()), FHIR, Duration.ofMinutes(2));
        DeliveryException refused = assertThrows(DeliveryException.class,
                () -> anonymous.transaction(RESULTS.get(1).result().bundleJson()),
                "the FHIR server must refuse a write without a token");
        assertTrue(refused.isPermanent() && refused.getMessage().contains("401"), refused.getMessage());

        MessageStore store = store("delivered");
        Map<Integer, Long> ids = stored(store, ecgIds);
        int issued = authorization.issued();
        int transactions = guard.acceptedTransactions();
        int unauthorized = guard.unauthorized();
        deliverAll(store, worker(store, writeBack(GATEWAY, gatewayKeys), 2));

        assertEquals(ecgIds.size(), guard.acceptedTransactions() - transactions, "one transaction per result");
        assertEquals(0, guard.unauthorized() - unauthorized, "no request without a valid token");
        assertEquals(1, authorization.issued() - issued, "one token, kept for all four deliveries");
        assertDeliveredExactlyOnce(store, ids);
    }

    @Test
    void aRevokedClientKeyMakesTheResultDeadAfterOneAttemptWithTheOAuthError() throws Exception {
        SmartClientKeys keys = SmartClientKeys.loadOrCreate(directory.resolve("revoked-keys.jwks.json"));
        authorization.register("tamer-gateway-revoked", keys.publicKeys());
        authorization.revoke("tamer-gateway-revoked");
        assertDeadAfterOneRefusal(store("revoked"), writeBack("tamer-gateway-revoked", keys), 5,
                "not registered or its keys were revoked");
    }

    @Test
    void aKeyTheAuthorizationServerDoesNotKnowMakesTheResultDeadAfterOneAttempt() throws Exception {
        SmartClientKeys unknown = SmartClientKeys.loadOrCreate(directory.resolve("unknown-keys.jwks.json"));
        assertDeadAfterOneRefusal(store("unknown-key"), writeBack(GATEWAY, unknown), 6,
                "the client assertion does not verify");
    }

    private static void assertDeadAfterOneRefusal(MessageStore store, FhirServerClient client, int ecgId,
                                                  String why) {
        long id = stored(store, List.of(ecgId)).get(ecgId);
        int refused = authorization.refused();
        int transactions = guard.acceptedTransactions();
        DeliveryWorker worker = worker(store, client, 4);
        assertEquals(1, worker.runOnce());
        StoredMessage m = store.find(id).orElseThrow();
        assertEquals(MessageState.DEAD, m.state(), "a refused client cannot succeed by retrying");
        String reason = m.failureReason().orElseThrow();
        assertTrue(reason.contains("invalid_client"), reason);
        assertTrue(reason.contains(why), reason);
        assertTrue(reason.contains(authorization.tokenEndpoint().toString()), "names the token endpoint: " + reason);
        assertTrue(reason.contains(fhir.baseUrl()), "names the destination: " + reason);
        assertEquals(0, m.attempts(), "dead at once, not after retries");
        assertEquals(1, authorization.refused() - refused, "one token request");
        assertEquals(0, worker.runOnce(), "a dead message is not claimed again");
        assertEquals(1, authorization.refused() - refused, "and no further token request");
        assertEquals(0, guard.acceptedTransactions() - transactions);
        assertEquals(0, atServer(RESULTS.get(ecgId).diagnosisKey()));
    }

    @Test
    void aTokenWithoutTheScopeForEveryResourceOfTheResultIsRefusedByTheFhirServer() throws Exception {
        MessageStore store = store("narrow-scope");
        long id = stored(store, List.of(20)).get(20);
        FhirServerClient narrow = writeBack(GATEWAY, gatewayKeys, fhir.baseUrl(),
                Map.of("tamer.fhir.auth.scope", "system/Observation.cs"));
        assertEquals(1, worker(store, narrow, 1).runOnce());
        StoredMessage m = store.find(id).orElseThrow();
        assertEquals(MessageState.DEAD, m.state(), "a 403 is permanent");
        String reason = m.failureReason().orElseThrow();
        assertTrue(reason.contains("rejected the transaction with 403"), reason);
        assertEquals(0, atServer(RESULTS.get(20).diagnosisKey()), "the transaction was rolled back as a whole");
    }

    @Test
    void aTokenTheFhirServerRevokesMidStreamIsRenewedOnceAndNothingIsLost() throws Exception {
        List<Integer> ecgIds = List.of(7, 8, 9, 10, 11);
        MessageStore store = store("revoked-token");
        Map<Integer, Long> ids = stored(store, ecgIds);
        int issued = authorization.issued();
        int transactions = guard.acceptedTransactions();
        int unauthorized = guard.unauthorized();
        guard.revokeAfterTransactions(2);
        deliverAll(store, worker(store, writeBack(GATEWAY, gatewayKeys), 1));

        assertEquals(1, guard.unauthorized() - unauthorized, "the third delivery met the revoked token once");
        assertEquals(2, authorization.issued() - issued, "the first token, and one renewal after the 401");
        assertEquals(ecgIds.size(), guard.acceptedTransactions() - transactions,
                "every result's transaction succeeded exactly once");
        assertDeliveredExactlyOnce(store, ids);
    }

    @Test
    void shortLivedTokensAreRenewedMidStreamAndNothingIsLost() throws Exception {
        List<Integer> ecgIds = List.of(12, 13, 14, 15, 16, 17);
        MessageStore store = store("short-tokens");
        Map<Integer, Long> ids = stored(store, ecgIds);
        Duration lifetime = Duration.ofSeconds(2);
        int issued = authorization.issued();
        int transactions = guard.acceptedTransactions();
        authorization.tokenLifetime(lifetime);
        try {
            DeliveryWorker worker = worker(store, writeBack(GATEWAY, gatewayKeys), 1);
            List<Instant> rounds = new ArrayList<>();
            while (store.countsByState().getOrDefault(MessageState.DIAGNOSED, 0L) > 0) {
                // each round starts after the token of the round before has expired
                Instant previous = rounds.isEmpty() ? Instant.MIN : rounds.get(rounds.size() - 1);
                while (Instant.now().isBefore(previous.plus(lifetime))) {
                    Thread.sleep(50);
                }
                rounds.add(Instant.now());
                assertTrue(rounds.size() <= 3 * ecgIds.size(), "results still waiting: " + store.countsByState());
                worker.runOnce();
            }
        } finally {
            authorization.tokenLifetime(Duration.ofHours(1));
        }
        assertTrue(authorization.issued() - issued >= ecgIds.size(), "a new token for every round: "
                + (authorization.issued() - issued));
        assertEquals(ecgIds.size(), guard.acceptedTransactions() - transactions,
                "every result's transaction succeeded exactly once");
        assertDeliveredExactlyOnce(store, ids);
        assertEquals(0L, store.countsByState().getOrDefault(MessageState.DEAD, 0L), store.countsByState().toString());
    }

    @Test
    void overHttpsTheFhirServersCertificateIsCheckedAgainstTheHostName() throws Exception {
        Map<String, Object> tls = Map.of("tamer.fhir.tls.trust-store", "file:" + trustStore,
                "tamer.fhir.tls.trust-store-password", TestCertificates.PASSWORD);
        MessageStore store = store("https");
        Map<Integer, Long> ids = stored(store, List.of(18));
        deliverAll(store, worker(store, writeBack(GATEWAY, gatewayKeys, "https://localhost:" + tlsPort + "/fhir",
                tls), 1));
        assertDeliveredExactlyOnce(store, ids);

        // the same server under a name its certificate does not hold; the token endpoint is configured, so the
        // connection that fails is the transaction's own
        Map<String, Object> wrongHost = new HashMap<>(tls);
        wrongHost.put("tamer.fhir.auth.token-url", authorization.tokenEndpoint().toString());
        String base = "https://127.0.0.1:" + tlsPort + "/fhir";
        MessageStore refused = store("https-wrong-host");
        long id = stored(refused, List.of(19)).get(19);
        int transactions = guard.acceptedTransactions();
        assertEquals(1, worker(refused, writeBack(GATEWAY, gatewayKeys, base, wrongHost), 1).runOnce());
        StoredMessage m = refused.find(id).orElseThrow();
        String reason = m.failureReason().orElseThrow();
        assertTrue(reason.contains("No subject alternative names matching IP address 127.0.0.1"), reason);
        assertTrue(reason.contains(base), "names the destination: " + reason);
        assertEquals(MessageState.DIAGNOSED, m.state(), "kept for a retry once the certificate is mended");
        assertEquals(1, m.attempts());
        assertEquals(0, guard.acceptedTransactions() - transactions, "nothing reached the server");
        assertEquals(0, atServer(RESULTS.get(19).diagnosisKey()));
    }
}
