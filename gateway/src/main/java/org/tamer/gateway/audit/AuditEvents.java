package org.tamer.gateway.audit;

import ca.uhn.fhir.context.FhirContext;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * Builds FHIR AuditEvents in the style of IHE Basic Audit Log Patterns: a DICOM "Import" (110107) when a message is
 * received and an "Export" (110106) when its result is delivered, with the peer's network address, the gateway as
 * the observer, and the message identified by channel and control id (never by patient data).
 */
public final class AuditEvents {

    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String EVENT_TYPE = "http://terminology.hl7.org/CodeSystem/audit-event-type";

    private final FhirContext context;
    private final String observer;

    public AuditEvents(FhirContext context, String observer) {
        this.context = Objects.requireNonNull(context, "context");
        this.observer = Objects.requireNonNull(observer, "observer");
    }

    public String received(long messageId, String channel, String controlId, String peer, boolean accepted,
                           Instant when) {
        return json(event("110107", "Import", AuditEvent.AuditEventAction.C, accepted, peer, true, messageId, channel,
                controlId, when));
    }

    public String delivered(long messageId, String channel, String controlId, String destination, boolean success,
                            Instant when) {
        return json(event("110106", "Export", AuditEvent.AuditEventAction.R, success, destination, false, messageId,
                channel, controlId, when));
    }

    private AuditEvent event(String code, String display, AuditEvent.AuditEventAction action, boolean success,
                             String peer, boolean peerIsSource, long messageId, String channel, String controlId,
                             Instant when) {
        AuditEvent e = new AuditEvent();
        e.setType(new Coding(DCM, code, display));
        e.addSubtype(new Coding(EVENT_TYPE, "MLLP".equals(channel) ? "transmit" : "rest", null));
        e.setAction(action);
        e.setRecorded(Date.from(when));
        e.setOutcome(success ? AuditEvent.AuditEventOutcome._0 : AuditEvent.AuditEventOutcome._4);
        AuditEvent.AuditEventAgentComponent gateway = e.addAgent().setRequestor(false);
        gateway.setType(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(DCM,
                peerIsSource ? "110152" : "110153", peerIsSource ? "Destination Role ID" : "Source Role ID")));
        gateway.setWho(new Reference().setIdentifier(new Identifier().setValue(observer)));
        AuditEvent.AuditEventAgentComponent remote = e.addAgent().setRequestor(peerIsSource);
        remote.setType(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(DCM,
                peerIsSource ? "110153" : "110152", peerIsSource ? "Source Role ID" : "Destination Role ID")));
        remote.setWho(new Reference().setDisplay(peer == null || peer.isBlank() ? "unknown" : peer));
        remote.getNetwork().setAddress(peer == null ? "" : peer);
        e.getSource().setObserver(new Reference().setDisplay(observer));
        e.addEntity().setWhat(new Reference().setIdentifier(new Identifier().setSystem("urn:tamer:message:" + channel)
                .setValue(controlId))).setDescription("message " + messageId);
        return e;
    }

    private String json(AuditEvent event) {
        return context.newJsonParser().encodeResourceToString(event);
    }
}
