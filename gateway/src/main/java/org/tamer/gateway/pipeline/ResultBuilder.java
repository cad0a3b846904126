package org.tamer.gateway.pipeline;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.tamer.fhir.validation.EcgValidator;
import org.tamer.fhir.writeback.ModelDescriptor;
import org.tamer.fhir.writeback.WriteBackBundleBuilder;
import org.tamer.gateway.model.ModelResult;
import org.tamer.gateway.store.Channel;
import org.tamer.routes.hl7.Hl7ResultMessageBuilder;
import org.tamer.routes.hl7.MessageHeader;
import org.tamer.runtime.ecg.EcgRecord;

/**
 * Turns a diagnosis into what is delivered: the write-back transaction Bundle (validated against the package's
 * profiles when configured; the waveform's sample values, which the mapper writes from finite floats, are not
 * re-checked one by one), whose diagnosis Observation names its source message in {@code meta.source}
 * ({@code urn:tamer:message:CHANNEL:CONTROL_ID}), and, when the ECG came over HL7 v2, an ORU^R01 back to its sender
 * that reads the diagnosis at the same operating points (overall reading, one OBX per class with its probability,
 * POS/NEG and its SNOMED CT code where the package maps one).
 */
public final class ResultBuilder {

    private final WriteBackBundleBuilder bundles;
    private final SourceIdentities identities;
    private final ModelReporting reporting;
    private final FhirContext context;
    private final Optional<EcgValidator> validator;
    private final String applicationName;
    private final String facilityName;
    private final Clock clock;

    public ResultBuilder(WriteBackBundleBuilder bundles, SourceIdentities identities, ModelReporting reporting,
                         FhirContext context, Optional<EcgValidator> validator, String applicationName,
                         String facilityName, Clock clock) {
        this.reporting = Objects.requireNonNull(reporting, "reporting");
        this.bundles = Objects.requireNonNull(bundles, "bundles");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.context = Objects.requireNonNull(context, "context");
        this.validator = Objects.requireNonNull(validator, "validator");
        this.applicationName = applicationName;
        this.facilityName = facilityName;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public static String sourceUri(Channel channel, String controlId) {
        return MessageSourceUri.of(channel, controlId);
    }

    public DiagnosisResult build(Channel channel, String controlId, byte[] raw, Hl7Charset charset, EcgRecord record,
                                 ModelResult result) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        String decoded = channel == Channel.MLLP ? charset.decode(raw) : new String(raw, StandardCharsets.UTF_8);
        ModelDescriptor reported = reporting.apply(result.model().descriptor());
        Bundle bundle = bundles.build(record, identities.of(channel, decoded, record), null, result.diagnosis(),
                reported, now.toInstant());
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Observation o && !o.getComponent().isEmpty()
                    && WriteBackBundleBuilder.DIAGNOSIS_IDENTIFIER_SYSTEM.equals(
                            o.getIdentifierFirstRep().getSystem())) {
                o.getMeta().setSource(sourceUri(channel, controlId));
            }
        }
        validator.ifPresent(v -> {
            List<SingleValidationMessage> errors = v.errorsIgnoringSampleValues(bundle);
            if (!errors.isEmpty()) {
                throw new IllegalStateException("the write-back Bundle for record " + record.id() + " is not valid: "
                        + errors.stream().map(m -> m.getLocationString() + ": " + m.getMessage())
                        .collect(Collectors.joining("; ")));
            }
        });
        Optional<String> hl7 = Optional.empty();
        if (channel == Channel.MLLP) {
            MessageHeader header = MessageHeader.read(decoded);
            hl7 = Optional.of(new Hl7ResultMessageBuilder(applicationName, facilityName, result.model()::display,
                    code -> bundles.snomedOf(code).map(c -> new Hl7ResultMessageBuilder.SnomedConcept(c.getCode(),
                            c.getDisplay() == null ? c.getCode() : c.getDisplay())), bundles.normalClass())
                    .build(header, record, result.diagnosis(), reported.operatingPoints(), "R" + controlId, now));
        }
        return new DiagnosisResult(record.id(), context.newJsonParser().encodeResourceToString(bundle), hl7,
                result.model().sha256());
    }
}
