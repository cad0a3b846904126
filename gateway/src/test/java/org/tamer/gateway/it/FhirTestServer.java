package org.tamer.gateway.it;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.server.Server;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Resource;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.testing.LoopbackFhirServer;

/**
 * A real HAPI FHIR server (RestfulServer over Jetty, in-memory HashMap resource providers) standing in for the
 * hospital's FHIR server. Transactions honour conditional creates ({@code ifNoneExist} on identifier or tag), as
 * HAPI's JPA server does; every diagnosis that arrives is also logged, so that tests can tell a repeated delivery
 * from a repeated diagnosis. Can be stopped and started again on the same port with its data kept.
 */
final class FhirTestServer implements AutoCloseable {

    private final FhirContext context = FhirContext.forR4Cached();
    private final HashMapResourceProvider<Observation> observations = new HashMapResourceProvider<>(context,
            Observation.class);
    private final HashMapResourceProvider<Device> devices = new HashMapResourceProvider<>(context, Device.class);
    private final HashMapResourceProvider<Provenance> provenances = new HashMapResourceProvider<>(context,
            Provenance.class);
    private final List<String> postedDiagnoses = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Long> firstStored = new java.util.concurrent.ConcurrentHashMap<>();
    /** Diagnosis identifier (source identity hash/model) → the sender's record id/model, as tests name them. */
    private final Map<String, String> labels = new java.util.concurrent.ConcurrentHashMap<>();
    private final int port;
    private Server server;

    FhirTestServer(int port) {
        this.port = port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port + "/fhir";
    }

    synchronized void start() throws Exception {
        RestfulServer restful = new RestfulServer(context);
        restful.registerProviders(observations, devices, provenances, new TransactionProvider());
        server = LoopbackFhirServer.start(restful, port);
    }

    synchronized void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /**
     * The diagnosis identifiers of the Observations stored (one per diagnosis if nothing was duplicated), as
     * {@code recordId/modelHash}: the source-identity hash the gateway keys by is replaced by the sender's record id
     * from the waveform of the same transaction.
     */
    List<String> storedDiagnosisKeys() {
        List<String> keys = new ArrayList<>();
        for (Observation o : observations.getStoredResources()) {
            for (Identifier id : o.getIdentifier()) {
                if (WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM.equals(id.getSystem())) {
                    keys.add(labels.getOrDefault(id.getValue(), id.getValue()));
                }
            }
        }
        return keys;
    }

    /** {@link System#nanoTime()} at which each diagnosis (by identifier) was first stored, for latency benchmarks. */
    Map<String, Long> diagnosisStoredNanos() {
        Map<String, Long> byLabel = new java.util.HashMap<>();
        firstStored.forEach((key, nanos) -> byLabel.put(labels.getOrDefault(key, key), nanos));
        return Map.copyOf(byLabel);
    }

    /** The diagnosis identifier of every transaction received, repeats included. */
    List<String> postedDiagnosisKeys() {
        synchronized (postedDiagnoses) {
            return List.copyOf(postedDiagnoses);
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the FHIR test server", e);
        }
    }

    /** Plain provider: processes transaction Bundles with conditional creates. */
    public final class TransactionProvider {

        @Transaction
        public Bundle transaction(@TransactionParam Bundle bundle) {
            synchronized (FhirTestServer.this) {
                Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
                String recordId = senderRecordId(bundle);
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    Resource resource = entry.getResource();
                    if (resource instanceof Observation o) {
                        o.getIdentifier().stream().filter(i -> WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM
                                .equals(i.getSystem())).forEach(i -> {
                                    String key = i.getValue();
                                    String label = recordId + key.substring(key.indexOf('/'));
                                    labels.put(key, label);
                                    postedDiagnoses.add(label);
                                });
                    }
                    String condition = entry.getRequest().getIfNoneExist();
                    boolean exists = condition != null && matches(resource, condition);
                    if (!exists) {
                        store(resource);
                    }
                    response.addEntry().getResponse().setStatus(exists ? "200 OK" : "201 Created");
                }
                return response;
            }
        }

        /** The sender's identifier value on the transaction's waveform Observation (beside the gateway's key). */
        private String senderRecordId(Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                if (entry.getResource() instanceof Observation o && o.getIdentifier().stream().anyMatch(i ->
                        WriteBackBundleBuilder.WAVEFORM_IDENTIFIER_SYSTEM.equals(i.getSystem()))) {
                    return o.getIdentifier().stream().filter(i -> !WriteBackBundleBuilder.WAVEFORM_IDENTIFIER_SYSTEM
                            .equals(i.getSystem())).map(Identifier::getValue).findFirst().orElse("?");
                }
            }
            return "?";
        }

        private void store(Resource resource) {
            resource.setId((String) null);
            if (resource instanceof Observation o) {
                observations.store(o);
                long now = System.nanoTime();
                o.getIdentifier().stream().filter(i -> WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM
                        .equals(i.getSystem())).forEach(i -> firstStored.putIfAbsent(i.getValue(), now));
            } else if (resource instanceof Device d) {
                devices.store(d);
            } else if (resource instanceof Provenance p) {
                provenances.store(p);
            }
        }

        private boolean matches(Resource resource, String condition) {
            Map.Entry<String, String> c = Map.entry(condition.substring(0, condition.indexOf('=')),
                    java.net.URLDecoder.decode(condition.substring(condition.indexOf('=') + 1),
                            java.nio.charset.StandardCharsets.UTF_8));
            String system = c.getValue().substring(0, c.getValue().indexOf('|'));
            String value = c.getValue().substring(c.getValue().indexOf('|') + 1);
            List<? extends Resource> existing = resource instanceof Observation ? observations.getStoredResources()
                    : resource instanceof Device ? devices.getStoredResources() : provenances.getStoredResources();
            for (Resource r : existing) {
                if (c.getKey().equals("_tag")) {
                    for (Coding tag : r.getMeta().getTag()) {
                        if (system.equals(tag.getSystem()) && value.equals(tag.getCode())) {
                            return true;
                        }
                    }
                } else if (r instanceof Observation o && hasIdentifier(o.getIdentifier(), system, value)
                        || r instanceof Device d && hasIdentifier(d.getIdentifier(), system, value)) {
                    return true;
                }
            }
            return false;
        }

        private boolean hasIdentifier(List<Identifier> identifiers, String system, String value) {
            return identifiers.stream().anyMatch(i -> system.equals(i.getSystem()) && value.equals(i.getValue()));
        }
    }
}
