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
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.store.MessageStore;
import org.tamer.gateway.store.NewMessage;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.Digests;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.MissingLeadsException;
import org.tamer.runtime.ecg.StandardLead;

/**
 * Intake of FHIR resources and uploaded files: reads the ECG, stores the raw bytes with the outcome (PARSED, or
 * FAILED with the reason) and returns what the HTTP layer answers. The control id of a resource is its content
 * hash, so posting the same bytes again finds the stored message instead of making a second one.
 */
public final class FhirIntake {

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
    private final Clock clock;

    public FhirIntake(RecordReader reader, MessageStore store, AuditEvents audit, GatewayMetrics metrics, Clock clock) {
        this.reader = Objects.requireNonNull(reader, "reader");
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A FHIR Observation or Bundle. */
    public Outcome acceptResource(String body, String remote, Optional<NewMessage.Lease> lease) {
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        return accept(Channel.FHIR, raw, null, remote, lease);
    }

    /** An archive file (DICOM, HL7 aECG, Philips Sierra, GE MUSE). */
    public Outcome acceptUpload(byte[] raw, String name, String remote) {
        return accept(Channel.UPLOAD, raw, name, remote, Optional.empty());
    }

    private Outcome accept(Channel channel, byte[] raw, String name, String remote, Optional<NewMessage.Lease> lease) {
        String sha = Digests.sha256Hex(raw);
        Optional<String> problem = Optional.empty();
        Optional<String> expression = Optional.empty();
        Optional<EcgRecord> record = Optional.empty();
        int status = 201;
        try {
            EcgRecord read = channel == Channel.FHIR ? reader.fhir(new String(raw, StandardCharsets.UTF_8))
                    : reader.upload(raw, name);
            read.signal().select(StandardLead.CANONICAL_ORDER);
            record = Optional.of(read);
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
        String controlId = (name == null ? "" : name + "@") + sha.substring(0, 32);
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
        metrics.received(channel.name(), channel == Channel.FHIR ? "resource" : "file", Integer.toString(status));
        return new Outcome(id, controlId, false, status, problem, expression, record);
    }
}
