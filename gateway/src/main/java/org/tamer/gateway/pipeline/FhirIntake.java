package org.tamer.gateway.pipeline;

import ca.uhn.fhir.parser.DataFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.tamer.fhir.mapping.FhirMappingException;
import org.tamer.gateway.audit.AuditEvents;
import org.tamer.gateway.metrics.GatewayMetrics;
import org.tamer.gateway.store.Channel;
import org.tamer.gateway.store.Insertion;
import org.tamer.gateway.store.MessageLimits;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.NewMessage;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.routes.route.EcgFileIntake;
import org.tamer.routes.route.FhirObservationIntake;
import org.tamer.runtime.Digests;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.MissingLeadsException;
import org.tamer.runtime.ecg.StandardLead;

/**
 * Intake of FHIR resources and uploaded files: reads the ECG, stores the raw bytes with the outcome (PARSED, or
 * FAILED with the reason) and returns what the HTTP layer answers. The control id of a posted resource is its
 * content hash, so posting the same bytes again finds the stored message instead of making a second one; that of a
 * resource polled from a FHIR server is its versioned address there.
 */
public final class FhirIntake implements FhirObservationIntake, EcgFileIntake {

    /**
     * What intake decided. {@code problem} is empty when accepted; {@code status} is the HTTP status to answer;
     * {@code controlId} is the stored message's control id (its results carry it in {@code meta.source}).
     */
    public record Outcome(long messageId, String controlId, boolean duplicate, int status, Optional<String> problem,
                          Optional<String> expression, Optional<EcgRecord> record) {
    }

    private final RecordReader reader;
    private final MessageStore store;
    private final AuditEvents audit;
    private final GatewayMetrics metrics;
    private final ModelInputCheck modelInput;
    private final Clock clock;

    public FhirIntake(RecordReader reader, MessageStore store, AuditEvents audit, GatewayMetrics metrics,
                      ModelInputCheck modelInput, Clock clock) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.modelInput = Objects.requireNonNull(modelInput, "modelInput");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A FHIR Observation or Bundle. */
    public Outcome acceptResource(String body, String remote, Optional<NewMessage.Lease> lease) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        String sha = Digests.sha256Hex(raw);
        return accept(Channel.FHIR, "resource", raw, sha, null, sha.substring(0, 32), remote, lease);
    }

    /** An archive file (DICOM, HL7 aECG, Philips Sierra, GE MUSE). */
    public Outcome acceptUpload(byte[] raw, String name, String remote) {
        String sha = Digests.sha256Hex(raw);
        return accept(Channel.UPLOAD, "file", raw, sha, name, name + "@" + sha.substring(0, 32), remote,
                Optional.empty());
    }

    /** A file from the watched folder: stored like an upload; the reason when it is not a usable ECG. */
    @Override
    public Optional<String> receive(byte[] content, String fileName, String source) {
        return acceptUpload(content, fileName, source).problem();
    }

    /**
     * An Observation polled from a FHIR server. One seen on an earlier poll (same address and version, same bytes)
     * is recognised before it is read again; a new one is stored like a posted resource, an unusable one as
     * FAILED with the reason.
     */
    @Override
    public boolean receive(String observationJson, String controlId, String source) {
        byte[] raw = observationJson.getBytes(StandardCharsets.UTF_8);
        String sha = Digests.sha256Hex(raw);
        boolean seen = store.findByControlId(Channel.FHIR, controlId).stream()
                .anyMatch(m -> m.contentSha256().equals(sha));
        return !seen && !accept(Channel.FHIR, "polled", raw, sha, null, controlId, source, Optional.empty())
                .duplicate();
    }

    /** A value longer than the store keeps, with where it is. */
    private static final class OversizedValue extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient String expression;

        OversizedValue(String message, String expression) {
            super(message, null, false, false);
            this.expression = expression;
        }
    }

    /** A record the model's preprocessing would refuse, with where in the resource the cause is. */
    private static final class UnreadableByModel extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient String expression;

        UnreadableByModel(String message, String expression) {
            super(message, null, false, false);
            this.expression = expression;
        }
    }

    private Outcome accept(Channel channel, String type, byte[] raw, String sha, String name, String controlId,
                           String remote, Optional<NewMessage.Lease> lease) {
        Optional<String> problem = Optional.empty();
        Optional<String> expression = Optional.empty();
        Optional<EcgRecord> record = Optional.empty();
        int status = 201;
        Optional<String> nameProblem = name == null ? Optional.empty() : MessageLimits.fileNameProblem(name);
        Optional<String> controlIdProblem = MessageLimits.controlIdProblem(controlId);
        if (nameProblem.isPresent() || controlIdProblem.isPresent()) {
            // stored under a stand-in (its hash), so that the refusal itself can be kept
            controlId = "oversized-" + sha.substring(0, 32);
        }
        try {
            if (nameProblem.isPresent()) {
                throw new OversizedValue("the file name " + nameProblem.get(), "name");
            }
            if (controlIdProblem.isPresent()) {
                throw new OversizedValue("the resource's address " + controlIdProblem.get(), "Observation.id");
            }
            EcgRecord read = channel == Channel.FHIR ? reader.fhir(new String(raw, StandardCharsets.UTF_8))
                    : reader.upload(raw, name);
            read.signal().select(StandardLead.CANONICAL_ORDER);
            Optional<String> recordIdProblem = MessageLimits.recordIdProblem(read.id());
            if (recordIdProblem.isPresent()) {
                throw new OversizedValue("the ECG's identifier " + recordIdProblem.get(),
                        channel == Channel.FHIR ? "Observation.identifier.value" : null);
            }
            try {
                modelInput.check(read);
            } catch (MissingLeadsException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new UnreadableByModel("the model cannot read this ECG: " + e.getMessage(),
                        channel != Channel.FHIR ? null : e.getMessage().contains("resample")
                                ? "Observation.component.value.ofType(SampledData).period"
                                : "Observation.component.value.ofType(SampledData).data");
            }
            record = Optional.of(read);
        } catch (OversizedValue | UnreadableByModel e) {
            status = 422;
            problem = Optional.of(e.getMessage());
            expression = Optional.ofNullable(e instanceof OversizedValue o ? o.expression
                    : ((UnreadableByModel) e).expression);
        } catch (DataFormatException e) {
            status = 400;
            problem = Optional.of("the body is not a valid FHIR R4 resource: " + e.getMessage());
        } catch (FhirMappingException e) {
            status = 422;
            problem = Optional.of(e.getMessage());
        } catch (EcgFormatException e) {
            status = 422;
            problem = Optional.of(e.getMessage());
            expression = Optional.of(e.getMessage());
        } catch (MissingLeadsException e) {
            status = 422;
            problem = Optional.of("the ECG lacks leads the model needs: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            status = 422;
            problem = Optional.of(e.getMessage());
        }
        Insertion stored = store.insert(new NewMessage(channel, controlId, sha, raw, remote,
                problem.isEmpty() ? MessageState.PARSED : MessageState.FAILED, Optional.empty(), problem,
                record.map(EcgRecord::id), problem.isEmpty() ? lease : Optional.empty()));
        long id = stored.message().id();
        if (stored.duplicate()) {
            metrics.received(channel.name(), "resend", "duplicate");
            return new Outcome(id, controlId, true, stored.message().failureReason().isEmpty() ? 200 : status,
                    stored.message().failureReason(), expression, record);
        }
        store.audit(id, "received", problem.isEmpty() ? "0" : "4", audit.received(id, channel.name(), controlId,
                remote, problem.isEmpty(), clock.instant()));
        metrics.received(channel.name(), type, Integer.toString(status));
        return new Outcome(id, controlId, false, status, problem, expression, record);
    }
}
