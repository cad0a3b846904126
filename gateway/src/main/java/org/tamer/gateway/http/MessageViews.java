package org.tamer.gateway.http;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.tamer.gateway.store.MessageDetail;
import org.tamer.gateway.store.MessageOverview;
import org.tamer.gateway.store.MessageState;
import org.tamer.gateway.summary.DiagnosisSummary;

/**
 * The admin API's JSON views of stored messages. No view carries the message's content (the raw HL7 or FHIR, with
 * the patient's name, identifiers and birth date); the result summary (interpretation, findings, probabilities) and
 * the ECG's record id are clinical, and are shown only to a caller whose token may read Observations.
 */
final class MessageViews {

    private final FhirContext context;

    MessageViews(FhirContext context) {
        this.context = context;
    }

    static Map<String, Object> overview(MessageOverview m) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", m.id());
        body.put("channel", m.channel().name());
        body.put("controlId", m.controlId());
        body.put("state", m.state().name());
        body.put("receivedAt", m.receivedAt().toString());
        body.put("updatedAt", m.updatedAt().toString());
        body.put("attempts", m.attempts());
        body.put("failureReason", m.failureReason().orElse(null));
        body.put("nextAttemptAt", retrying(m) ? m.nextAttemptAt().map(Instant::toString).orElse(null) : null);
        return body;
    }

    Map<String, Object> detail(MessageDetail d, Optional<String> diagnosisBundle, boolean clinical) {
        MessageOverview m = d.overview();
        Map<String, Object> body = overview(m);
        body.put("remoteAddress", d.remoteAddress().orElse(null));
        body.put("ack", d.ack().map(a -> a.replace("\r", "\n").strip()).orElse(null));
        body.put("modelSha256", d.modelSha256().orElse(null));
        body.put("diagnosedAt", d.diagnosedAt().map(Instant::toString).orElse(null));
        body.put("deliveredAt", d.deliveredAt().map(Instant::toString).orElse(null));
        body.put("lease", d.leaseOwner().map(owner -> Map.of("owner", owner, "until",
                d.leaseUntil().map(Instant::toString).orElse(""))).orElse(null));
        body.put("auditEvents", d.audit().size());
        body.put("timeline", timeline(d));
        body.put("deliveries", deliveries(d));
        body.put("clinicalContent", clinical ? "shown" : "hidden: needs system/Observation.read (or .rs)");
        if (clinical) {
            body.put("recordId", d.recordId().orElse(null));
            body.put("result", diagnosisBundle.flatMap(this::summary).orElse(null));
        }
        return body;
    }

    private Optional<Map<String, Object>> summary(String bundleJson) {
        Bundle bundle = context.newJsonParser().parseResource(Bundle.class, bundleJson);
        return DiagnosisSummary.of(bundle).map(s -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("interpretation", s.interpretation());
            body.put("status", s.status());
            body.put("findings", s.findings());
            List<Map<String, Object>> probabilities = new ArrayList<>();
            s.probabilities().forEach(p -> probabilities.add(Map.of("code", p.code(), "display", p.display(),
                    "probability", p.probability())));
            body.put("probabilities", probabilities);
            s.model().ifPresent(model -> body.put("model", Map.of("name", model.name(), "version", model.version(),
                    "parametersSha256", model.parametersSha256())));
            return body;
        });
    }

    /** The message's way through the gateway, oldest first, from its timestamps and audit events. */
    private List<Map<String, Object>> timeline(MessageDetail d) {
        MessageOverview m = d.overview();
        List<Map<String, Object>> events = new ArrayList<>();
        Optional<MessageDetail.AuditEntry> receipt = d.audit().stream().filter(a -> a.action().equals("received"))
                .findFirst();
        boolean refused = receipt.map(a -> !a.outcome().equals("0")).orElse(m.state() == MessageState.FAILED
                && d.diagnosedAt().isEmpty());
        events.add(event(m.receivedAt(), "RECEIVED", "over " + m.channel() + d.remoteAddress().map(r -> " from " + r)
                .orElse("") + (refused ? ", refused at intake" : ", stored and acknowledged")));
        d.diagnosedAt().ifPresent(t -> events.add(event(t, "DIAGNOSED", "by model " + d.modelSha256()
                .map(s -> s.substring(0, Math.min(12, s.length()))).orElse("?"))));
        for (MessageDetail.AuditEntry a : d.audit()) {
            if (a.action().equals("delivered")) {
                events.add(event(a.recordedAt(), a.outcome().equals("0") ? "SENT" : "SEND FAILED", "to "
                        + destination(a).orElse("?")));
            }
        }
        d.deliveredAt().ifPresent(t -> events.add(event(t, "DELIVERED", "to every destination")));
        if (m.state() == MessageState.FAILED || m.state() == MessageState.DEAD) {
            events.add(event(m.updatedAt(), m.state().name(), m.failureReason().orElse("")));
        } else if (retrying(m)) {
            events.add(event(m.updatedAt(), "RETRY " + m.attempts(), m.failureReason().orElse("") + "; next attempt "
                    + m.nextAttemptAt().map(Instant::toString).orElse("?")));
        }
        events.sort(Comparator.comparing(e -> (String) e.get("at")));
        return events;
    }

    private List<Map<String, Object>> deliveries(MessageDetail d) {
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (MessageDetail.AuditEntry a : d.audit()) {
            if (a.action().equals("delivered")) {
                Map<String, Object> attempt = new LinkedHashMap<>();
                attempt.put("at", a.recordedAt().toString());
                attempt.put("destination", destination(a).orElse(null));
                attempt.put("outcome", a.outcome().equals("0") ? "success" : "failure");
                attempts.add(attempt);
            }
        }
        return attempts;
    }

    /** The network address of the audit event's destination (the agent that is not the gateway). */
    private Optional<String> destination(MessageDetail.AuditEntry a) {
        try {
            AuditEvent event = context.newJsonParser().parseResource(AuditEvent.class, a.resource());
            return event.getAgent().stream().filter(agent -> agent.hasNetwork() && agent.getNetwork().hasAddress())
                    .map(agent -> agent.getNetwork().getAddress()).findFirst();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean retrying(MessageOverview m) {
        return m.attempts() > 0 && (m.state() == MessageState.PARSED || m.state() == MessageState.DIAGNOSED);
    }

    private static Map<String, Object> event(Instant at, String state, String detail) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("at", at.toString());
        e.put("state", state);
        e.put("detail", detail);
        return e;
    }
}
