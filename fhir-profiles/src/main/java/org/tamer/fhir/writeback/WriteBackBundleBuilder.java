package org.tamer.fhir.writeback;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DecimalType;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.UrlType;
import org.tamer.fhir.mapping.EcgFhirMapper;
import org.tamer.fhir.mapping.SubjectReferences;
import org.tamer.fhir.terminology.ClassTerminology;
import org.tamer.fhir.terminology.EcgCodes;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.inference.ClassScore;
import org.tamer.runtime.inference.Diagnosis;
import org.tamer.runtime.inference.Interpretation;
import org.tamer.runtime.inference.OperatingPoints;

/**
 * Builds the transaction Bundle that writes a diagnosis back to a FHIR server: the AI ECG diagnosis Observation,
 * the model Device and a Provenance (and, when the source has no FHIR waveform yet, the waveform Observation).
 * Every entry is a conditional create keyed by the ECG's {@link EcgSourceIdentity} (sender, the sender's
 * identifier, waveform digest) and the model, and the Bundle's own ids are derived the same way, so that sending it
 * again after a lost reply, or a resend of the same ECG, creates nothing twice, while two different ECGs never share
 * a key.
 *
 * <p>The diagnosis Observation's value is the overall reading ({@link Interpretation}: normal, abnormal or
 * indeterminate, as SNOMED CT where a code exists); each class is its own component with its probability, its
 * operating point and whether it is a finding (POS/NEG).
 */
public final class WriteBackBundleBuilder {

    public static final String DEVICE_IDENTIFIER_SYSTEM = "urn:tamer:model-bundle-sha256";
    public static final String DIAGNOSIS_IDENTIFIER_SYSTEM = "urn:tamer:ecg-diagnosis";
    /** The waveform Observation's key: {@link EcgSourceIdentity#key()} (the sender's own identifier stands beside it). */
    public static final String WAVEFORM_IDENTIFIER_SYSTEM = "urn:tamer:ecg-source-identity";
    public static final String WRITE_BACK_TAG_SYSTEM = "urn:tamer:write-back";
    private static final String SECURITY_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationValue";
    private static final String INTERPRETATION_SYSTEM =
            "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";

    private final EcgFhirMapper mapper;
    private final ClassTerminology terminology;
    private final String classSystem;
    private final String normalClass;

    /**
     * @param classSystem code system of the diagnosis classes (e.g. the package's PTB-XL statement system)
     * @param normalClass the class that alone among the findings means "normal" (e.g. {@code NORM})
     */
    public WriteBackBundleBuilder(EcgFhirMapper mapper, ClassTerminology terminology, String classSystem,
                                  String normalClass) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.terminology = Objects.requireNonNull(terminology, "terminology");
        this.classSystem = Objects.requireNonNull(classSystem, "classSystem");
        this.normalClass = Objects.requireNonNull(normalClass, "normalClass");
    }

    /** The class that alone among the findings means "normal". */
    public String normalClass() {
        return normalClass;
    }

    /** A class's SNOMED CT coding in this builder's class system, when the package maps it to one. */
    public Optional<Coding> snomedOf(String classCode) {
        return terminology.snomed(classSystem, classCode);
    }

    /**
     * @param source            the ECG the diagnosis is about
     * @param identity          who sent it, what the sender calls it and what it contains: the key of every
     *                          conditional create, so that only a resend of the same ECG meets an earlier result
     * @param waveformReference reference to the waveform Observation on the target server, or null to write the
     *                          waveform in the same transaction
     * @param diagnosis         the classifier's result for {@code source}
     * @param model             the model that produced it
     * @param issued            when the result was produced
     */
    public Bundle build(EcgRecord source, EcgSourceIdentity identity, String waveformReference, Diagnosis diagnosis,
                        ModelDescriptor model, Instant issued) {
        if (!diagnosis.recordId().equals(source.id())) {
            throw new IllegalArgumentException("diagnosis of " + diagnosis.recordId() + " given for record " + source.id());
        }
        String ecgKey = identity.key();
        String key = ecgKey + "/" + model.bundleSha256().substring(0, 16);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);

        Device device = device(model);
        String deviceUrl = uuid("device:" + model.bundleSha256());
        add(bundle, deviceUrl, device, "identifier", DEVICE_IDENTIFIER_SYSTEM, model.bundleSha256());

        String waveform = waveformReference;
        if (waveform == null) {
            Observation observation = mapper.toObservation(source);
            observation.setId((String) null);
            observation.getIdentifier().clear();
            identity.value().ifPresent(value -> {
                Identifier own = observation.addIdentifier().setValue(value);
                identity.system().ifPresent(own::setSystem);
                if (identity.system().isEmpty()) {
                    own.getAssigner().setDisplay(identity.sender());
                }
            });
            observation.addIdentifier().setSystem(WAVEFORM_IDENTIFIER_SYSTEM).setValue(ecgKey);
            observation.getMeta().addTag(WRITE_BACK_TAG_SYSTEM, key, null);
            waveform = uuid("waveform:" + ecgKey);
            add(bundle, waveform, observation, "identifier", WAVEFORM_IDENTIFIER_SYSTEM, ecgKey);
        }

        Observation result = diagnosisObservation(source, diagnosis, model, deviceUrl, waveform, key, issued);
        String resultUrl = uuid("diagnosis:" + key);
        add(bundle, resultUrl, result, "identifier", DIAGNOSIS_IDENTIFIER_SYSTEM, key);

        Provenance provenance = new Provenance();
        provenance.getMeta().addProfile(EcgCodes.PROVENANCE_PROFILE);
        provenance.getMeta().addTag(WRITE_BACK_TAG_SYSTEM, key, null);
        provenance.addTarget(new Reference(resultUrl));
        provenance.setRecorded(Date.from(issued));
        provenance.addAgent().setType(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "assembler", "Assembler")))
                .setWho(new Reference(deviceUrl));
        provenance.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE).setWhat(new Reference(waveform));
        add(bundle, uuid("provenance:" + key), provenance, "_tag", WRITE_BACK_TAG_SYSTEM, key);
        return bundle;
    }

    private Observation diagnosisObservation(EcgRecord source, Diagnosis diagnosis, ModelDescriptor model,
                                             String deviceUrl,
                                             String waveform, String key, Instant issued) {
        Observation o = new Observation();
        o.getMeta().addProfile(EcgCodes.DIAGNOSIS_PROFILE);
        o.getMeta().addSecurity(SECURITY_SYSTEM, "AIAST", "Artificial Intelligence asserted");
        o.addIdentifier(new Identifier().setSystem(DIAGNOSIS_IDENTIFIER_SYSTEM).setValue(key));
        o.setStatus(Observation.ObservationStatus.PRELIMINARY);
        o.addCategory(new CodeableConcept(new Coding(EcgCodes.OBSERVATION_CATEGORY, "procedure", "Procedure")));
        o.setCode(new CodeableConcept(new Coding(EcgCodes.LOINC, EcgCodes.LOINC_EKG_IMPRESSION, "EKG impression")));
        source.subjectReference().ifPresent(s -> o.setSubject(SubjectReferences.of(s)));
        source.encounterReference().ifPresent(e -> o.setEncounter(SubjectReferences.of(e)));
        source.acquisitionTime().ifPresent(t -> o.setEffective(new org.hl7.fhir.r4.model.DateTimeType(
                Date.from(t.toInstant()))));
        o.setIssuedElement(new InstantType(Date.from(issued)));
        o.setDevice(new Reference(deviceUrl));
        o.addDerivedFrom(new Reference(waveform));
        OperatingPoints points = model.operatingPoints();
        Interpretation reading = Interpretation.of(diagnosis, points, normalClass);
        o.setMethod(new CodeableConcept().setText("TAMER zero-shot ECG classification; a class is a finding when its "
                + "calibrated probability reaches its operating point (" + (points.method().isEmpty()
                ? "no operating points in the bundle: " + OperatingPoints.DEFAULT_THRESHOLD + " for every class"
                : points.method()) + "); normal only when " + normalClass + " is the sole finding"));
        for (ClassScore score : diagnosis.scores()) {
            double threshold = points.thresholdOf(score.code());
            boolean finding = score.probability() >= threshold;
            Observation.ObservationComponentComponent component = o.addComponent();
            component.setCode(classConcept(score.code()));
            component.setValue(new Quantity().setValue(BigDecimal.valueOf(score.probability()))
                    .setUnit("probability").setSystem(EcgCodes.UCUM).setCode("1"));
            component.addInterpretation(new CodeableConcept(new Coding(INTERPRETATION_SYSTEM,
                    finding ? "POS" : "NEG", finding ? "Positive" : "Negative")));
            component.addExtension(new Extension(EcgCodes.CANONICAL_BASE + "/StructureDefinition/zero-shot-score",
                    new DecimalType(BigDecimal.valueOf(score.score()))));
            component.addExtension(new Extension(EcgCodes.OPERATING_POINT_EXTENSION,
                    new DecimalType(BigDecimal.valueOf(threshold))));
        }
        String listed = reading.findings().stream().map(s -> String.format(Locale.ROOT, "%s %.3f", s.code(),
                s.probability())).collect(Collectors.joining(", "));
        CodeableConcept overall = switch (reading.overall()) {
            case NORMAL -> new CodeableConcept(new Coding(EcgCodes.SNOMED, EcgCodes.SNOMED_ECG_NORMAL,
                    "Electrocardiogram normal")).setText("Normal ECG (" + listed + ")");
            case ABNORMAL -> new CodeableConcept(new Coding(EcgCodes.SNOMED, EcgCodes.SNOMED_ECG_ABNORMAL,
                    "Electrocardiogram abnormal")).setText("Abnormal ECG: " + listed);
            case INDETERMINATE -> new CodeableConcept().setText("Indeterminate: no class reached its operating point");
        };
        o.setValue(overall);
        o.addInterpretation(new CodeableConcept(switch (reading.overall()) {
            case NORMAL -> new Coding(INTERPRETATION_SYSTEM, "N", "Normal");
            case ABNORMAL -> new Coding(INTERPRETATION_SYSTEM, "A", "Abnormal");
            case INDETERMINATE -> new Coding(INTERPRETATION_SYSTEM, "IND", "Indeterminate");
        }));
        return o;
    }

    private CodeableConcept classConcept(String code) {
        CodeableConcept concept = new CodeableConcept(terminology.classCoding(classSystem, code));
        terminology.snomed(classSystem, code).ifPresent(concept::addCoding);
        return concept;
    }

    private static Device device(ModelDescriptor model) {
        Device device = new Device();
        device.getMeta().addProfile(EcgCodes.MODEL_DEVICE_PROFILE);
        device.addIdentifier(new Identifier().setSystem(DEVICE_IDENTIFIER_SYSTEM).setValue(model.bundleSha256()));
        device.addDeviceName().setName(model.name()).setType(Device.DeviceNameType.MODELNAME);
        device.addVersion().setValue(model.version());
        device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        model.modelCardUrl().ifPresent(url -> device.addExtension(
                new Extension(EcgCodes.CANONICAL_BASE + "/StructureDefinition/model-card", new UrlType(url))));
        device.addNote().setText("Intended use and limitations: " + model.intendedUse());
        return device;
    }

    /**
     * A conditional create on a token search parameter: the token's system and code are escaped as FHIR search
     * requires ({@code \\}, {@code |}, {@code ,}, {@code $}) and the whole value is URL-encoded.
     */
    private static void add(Bundle bundle, String fullUrl, Resource resource, String parameter, String system,
                            String code) {
        String token = escapeToken(system) + "|" + escapeToken(code);
        bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl(resource.fhirType())
                .setIfNoneExist(parameter + "=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }

    static String escapeToken(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace(",", "\\,").replace("$", "\\$");
    }

    private static String uuid(String name) {
        return "urn:uuid:" + UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
