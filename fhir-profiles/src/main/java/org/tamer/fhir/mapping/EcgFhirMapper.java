package org.tamer.fhir.mapping;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.SampledData;
import org.hl7.fhir.r4.model.SimpleQuantity;
import org.tamer.fhir.terminology.EcgCodes;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;
import ca.uhn.fhir.model.api.TemporalPrecisionEnum;

/**
 * Maps between FHIR R4 ECG waveform Observations and {@link EcgRecord}, exactly to the sample.
 *
 * <p>Inbound: one component per lead coded with an ISO/IEEE 11073 MDC lead code (either code set, either system
 * URI) carrying {@code valueSampledData}; value = origin + factor × datum, converted to millivolts from the
 * origin's unit (mV, uV or V; an origin without unit, as in the FHIR core example, is read as mV); data tokens
 * {@code E}, {@code L} and {@code U} become missing samples. All components must share period and length.
 * Components with other values (measurements) are ignored. The report comes from a DiagnosticReport in the same
 * Bundle (conclusion) or the Observation's notes. Leads, samples (counted before they are decoded) and report text
 * are bounded by the {@link DecoderLimits}.
 *
 * <p>Outbound: origin 0 mV, factor 1, and each sample written as the shortest decimal that reads back to the
 * same float, so that a record survives a round trip through JSON or XML bit for bit.
 */
public final class EcgFhirMapper {

    /** Identifier system for the record id written on outbound Observations. */
    public static final String RECORD_ID_SYSTEM = "urn:tamer:ecg-record-id";
    public static final String FORMAT = "FHIR";

    private final MdcLeadCodes leadCodes;
    private final DecoderLimits limits;

    public EcgFhirMapper(MdcLeadCodes leadCodes) {
        this(leadCodes, DecoderLimits.defaults());
    }

    public EcgFhirMapper(MdcLeadCodes leadCodes, DecoderLimits limits) {
        this.leadCodes = Objects.requireNonNull(leadCodes, "leadCodes");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /** Maps a Bundle holding one waveform Observation and, optionally, a DiagnosticReport with the report. */
    public EcgRecord toRecord(Bundle bundle) {
        Observation waveform = null;
        String report = null;
        int index = 0;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            String path = "Bundle.entry[" + index++ + "]";
            if (resource instanceof Observation observation && isWaveform(observation)) {
                if (waveform != null) {
                    throw new FhirMappingException(path, "a second ECG waveform Observation; send one per Bundle");
                }
                waveform = observation;
            } else if (resource instanceof DiagnosticReport diagnosticReport && diagnosticReport.hasConclusion()) {
                report = diagnosticReport.getConclusion();
            }
        }
        if (waveform == null) {
            throw new FhirMappingException("Bundle.entry", "no ECG waveform Observation (one with SampledData "
                    + "components) in the Bundle");
        }
        EcgRecord record = toRecord(waveform);
        if (report != null && report.length() > limits.maxTextLength()) {
            throw new FhirMappingException("DiagnosticReport.conclusion", DecoderLimits.exceeded("the conclusion has "
                    + report.length() + " characters", "max-text-length", limits.maxTextLength()));
        }
        return report == null ? record : record.withReportText(report);
    }

    /**
     * The sender's own identifier of the ECG in an Observation or a Bundle holding one waveform Observation: the
     * identifier {@link #toRecord} takes the record id from, with its system as the sender wrote it.
     */
    public Optional<Identifier> sourceIdentifier(Resource resource) {
        Observation waveform = resource instanceof Observation o ? o : null;
        if (resource instanceof Bundle bundle) {
            waveform = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(r -> r instanceof Observation o && isWaveform(o)).map(Observation.class::cast)
                    .findFirst().orElse(null);
        }
        if (waveform == null) {
            return Optional.empty();
        }
        for (Identifier identifier : waveform.getIdentifier()) {
            if (RECORD_ID_SYSTEM.equals(identifier.getSystem()) && identifier.hasValue()) {
                return Optional.of(identifier);
            }
        }
        return waveform.getIdentifier().stream().filter(Identifier::hasValue).findFirst();
    }

    /** Maps a waveform Observation. */
    public EcgRecord toRecord(Observation observation) {
        List<Lead> leads = new ArrayList<>();
        List<float[]> samples = new ArrayList<>();
        Double period = null;
        Integer length = null;
        for (int i = 0; i < observation.getComponent().size(); i++) {
            Observation.ObservationComponentComponent component = observation.getComponent().get(i);
            String path = "Observation.component[" + i + "]";
            if (!component.hasValueSampledData()) {
                continue;
            }
            StandardLead lead = lead(component.getCode(), path + ".code");
            if (leads.contains(lead)) {
                throw new FhirMappingException(path + ".code", "lead " + lead + " appears twice");
            }
            SampledData data = component.getValueSampledData();
            String dataPath = path + ".valueSampledData";
            if (!data.hasPeriod() || data.getPeriod() == null || data.getPeriod().signum() <= 0) {
                throw new FhirMappingException(dataPath + ".period", "missing or not positive; the sampling "
                        + "period in milliseconds is required (R5's interval/intervalUnit is not R4)");
            }
            double p = data.getPeriod().doubleValue();
            if (period == null) {
                period = p;
            } else if (p != period) {
                throw new FhirMappingException(dataPath + ".period", p + " ms differs from the first lead's "
                        + period + " ms");
            }
            if (data.hasDimensions() && data.getDimensions() != 1) {
                throw new FhirMappingException(dataPath + ".dimensions", "is " + data.getDimensions()
                        + "; an ECG lead has one dimension");
            }
            float[] values = decode(data, dataPath, leads.size() + 1);
            if (length == null) {
                length = values.length;
            } else if (values.length != length) {
                throw new FhirMappingException(dataPath + ".data", "has " + values.length + " samples but lead "
                        + leads.get(0) + " has " + length);
            }
            leads.add(lead);
            samples.add(values);
        }
        if (leads.isEmpty()) {
            throw new FhirMappingException("Observation.component", "no component carries valueSampledData: "
                    + "this is not an ECG waveform Observation");
        }
        EcgSignal signal;
        try {
            signal = EcgSignal.adopt(1000.0 / period, leads, samples.toArray(new float[0][]));
        } catch (IllegalArgumentException e) {
            throw new FhirMappingException("Observation.component", e.getMessage());
        }
        String id = recordId(observation);
        Optional<String> report = observation.getNote().stream().map(Annotation::getText)
                .filter(t -> t != null && !t.isBlank()).collect(java.util.stream.Collectors.collectingAndThen(
                        java.util.stream.Collectors.joining("\n"), t -> Optional.of(t).filter(x -> !x.isEmpty())));
        if (report.isPresent() && report.get().length() > limits.maxTextLength()) {
            throw new FhirMappingException("Observation.note", DecoderLimits.exceeded("the notes have "
                    + report.get().length() + " characters", "max-text-length", limits.maxTextLength()));
        }
        return new EcgRecord(id,
                reference(observation.getSubject()),
                reference(observation.getEncounter()),
                effectiveTime(observation),
                signal,
                report,
                new SourceMetadata(FORMAT, Optional.of(observation.getIdElement().hasIdPart()
                        ? "Observation/" + observation.getIdElement().getIdPart() : "Observation"),
                        Optional.ofNullable(observation.getDevice().getDisplay()).filter(d -> !d.isBlank())));
    }

    /** Whether an Observation carries waveform components. */
    public boolean isWaveform(Observation observation) {
        return observation.getComponent().stream().anyMatch(Observation.ObservationComponentComponent::hasValueSampledData);
    }

    /** An R4 waveform Observation of the record, conforming to this package's ECG waveform profile. */
    public Observation toObservation(EcgRecord record) {
        Observation observation = new Observation();
        observation.setId(fhirId(record.id()));
        observation.getMeta().addProfile(EcgCodes.WAVEFORM_PROFILE);
        observation.addIdentifier(new Identifier().setSystem(RECORD_ID_SYSTEM).setValue(record.id()));
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(EcgCodes.OBSERVATION_CATEGORY, "procedure",
                "Procedure")));
        observation.setCode(new CodeableConcept()
                .addCoding(new Coding(MdcLeadCodes.SYSTEM, EcgCodes.MDC_ECG_ELEC_POTL, "MDC_ECG_ELEC_POTL"))
                .addCoding(new Coding(EcgCodes.LOINC, EcgCodes.LOINC_EKG_STUDY, "EKG study")));
        record.subjectReference().ifPresent(s -> observation.setSubject(SubjectReferences.of(s)));
        record.encounterReference().ifPresent(e -> observation.setEncounter(SubjectReferences.of(e)));
        record.acquisitionTime().ifPresent(t -> observation.setEffective(dateTime(t)));
        record.source().device().ifPresent(d -> observation.setDevice(new Reference().setDisplay(d)));
        record.reportText().ifPresent(text -> observation.addNote(new Annotation().setText(text)));
        EcgSignal signal = record.signal();
        BigDecimal period = BigDecimal.valueOf(1000.0 / signal.samplingRateHz());
        for (int l = 0; l < signal.leadCount(); l++) {
            Lead lead = signal.leads().get(l);
            if (!(lead instanceof StandardLead standard)) {
                throw new FhirMappingException("Observation.component[" + l + "].code", "lead " + lead.label()
                        + " has no MDC lead code; only the twelve standard leads can be written");
            }
            SampledData data = new SampledData();
            data.setOrigin((SimpleQuantity) new SimpleQuantity().setValue(0).setUnit("mV")
                    .setSystem(EcgCodes.UCUM).setCode("mV"));
            data.setPeriod(period);
            data.setFactor(1);
            data.setDimensions(1);
            StringBuilder text = new StringBuilder(signal.length() * 7);
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < signal.length(); t++) {
                float v = signal.millivolts(l, t);
                if (t > 0) {
                    text.append(' ');
                }
                text.append(decimal(v));
                if (!Float.isNaN(v)) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            if (min <= max) {
                data.setLowerLimit(new BigDecimal(decimal(min)));
                data.setUpperLimit(new BigDecimal(decimal(max)));
            }
            data.setData(text.toString());
            observation.addComponent().setCode(new CodeableConcept(new Coding(MdcLeadCodes.SYSTEM,
                    leadCodes.leadCode(standard), "MDC_ECG_LEAD_" + standard.name())))
                    .setValue(data);
        }
        return observation;
    }

    private StandardLead lead(CodeableConcept code, String path) {
        for (Coding coding : code.getCoding()) {
            if (leadCodes.isMdcSystem(coding.getSystem())) {
                if (!coding.hasCode()) {
                    throw new FhirMappingException(path, "the MDC lead coding has no code");
                }
                return leadCodes.lead(coding.getCode()).orElseThrow(() -> new FhirMappingException(path,
                        "MDC code " + coding.getCode() + " is not one of the twelve standard ECG leads"));
            }
        }
        throw new FhirMappingException(path, "no ISO/IEEE 11073 MDC lead coding (system " + MdcLeadCodes.SYSTEM
                + " or " + MdcLeadCodes.SYSTEM_OID + ")");
    }

    /** One lead's samples; {@code leadNumber} counts it with the leads decoded before it, for the limits. */
    private float[] decode(SampledData data, String path, int leadNumber) {
        if (!data.hasOrigin() || !data.getOrigin().hasValue()) {
            throw new FhirMappingException(path + ".origin", "missing; the origin value is required");
        }
        Quantity origin = data.getOrigin();
        double toMillivolts = unitToMillivolts(origin, path + ".origin");
        double originValue = origin.getValue().doubleValue();
        double factor = data.hasFactor() ? data.getFactor().doubleValue() : 1.0;
        boolean canonical = originValue == 0 && factor == 1 && toMillivolts == 1;
        if (!data.hasData() || data.getData().isBlank()) {
            throw new FhirMappingException(path + ".data", "no samples");
        }
        String text = data.getData();
        int count = countTokens(text);
        Optional<String> tooLarge = limits.signalViolation(leadNumber, count);
        if (tooLarge.isPresent()) {
            throw new FhirMappingException(path + ".data", tooLarge.get());
        }
        float[] values = new float[count];
        int at = 0;
        for (int i = 0; i < count; i++) {
            while (isSpace(text.charAt(at))) {
                at++;
            }
            int end = at;
            while (end < text.length() && !isSpace(text.charAt(end))) {
                end++;
            }
            String token = text.substring(at, end);
            at = end;
            switch (token) {
                case "E", "L", "U" -> values[i] = Float.NaN;
                default -> {
                    try {
                        values[i] = canonical ? Float.parseFloat(token)
                                : (float) ((originValue + factor * Double.parseDouble(token)) * toMillivolts);
                    } catch (NumberFormatException e) {
                        throw new FhirMappingException(path + ".data", "sample " + i + " is '" + shortened(token)
                                + "', not a decimal or E/L/U");
                    }
                    if (!Float.isFinite(values[i])) {
                        throw new FhirMappingException(path + ".data", "sample " + i + " is '" + shortened(token)
                                + "', which is not finite in millivolts");
                    }
                }
            }
        }
        return values;
    }

    /** The number of tokens separated by white space (as the regular expression \s+ defines it). */
    private static int countTokens(String text) {
        int count = 0;
        boolean inToken = false;
        for (int i = 0; i < text.length(); i++) {
            boolean space = isSpace(text.charAt(i));
            if (!space && !inToken) {
                count++;
            }
            inToken = !space;
        }
        return count;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static String shortened(String token) {
        return token.length() > 40 ? token.substring(0, 40) + "…" : token;
    }

    private static double unitToMillivolts(Quantity origin, String path) {
        String unit = origin.hasCode() ? origin.getCode() : origin.getUnit();
        if (unit == null || unit.isBlank()) {
            return 1.0;
        }
        if (origin.hasSystem() && !EcgCodes.UCUM.equals(origin.getSystem())) {
            throw new FhirMappingException(path + ".system", "'" + origin.getSystem() + "' is not UCUM ("
                    + EcgCodes.UCUM + ")");
        }
        return switch (unit) {
            case "mV" -> 1.0;
            case "uV", "µV" -> 1e-3;
            case "V" -> 1e3;
            default -> throw new FhirMappingException(path + (origin.hasCode() ? ".code" : ".unit"), "unit '" + unit
                    + "' is not a voltage unit this gateway reads (mV, uV, V)");
        };
    }

    private static String recordId(Observation observation) {
        for (Identifier identifier : observation.getIdentifier()) {
            if (RECORD_ID_SYSTEM.equals(identifier.getSystem()) && identifier.hasValue()) {
                return identifier.getValue();
            }
        }
        if (!observation.getIdentifier().isEmpty() && observation.getIdentifierFirstRep().hasValue()) {
            return observation.getIdentifierFirstRep().getValue();
        }
        if (observation.getIdElement().hasIdPart()) {
            return observation.getIdElement().getIdPart();
        }
        throw new FhirMappingException("Observation.id", "the Observation has neither an identifier nor an id");
    }

    private static Optional<String> reference(Reference reference) {
        return reference != null && reference.hasReference() ? Optional.of(reference.getReference()) : Optional.empty();
    }

    private static Optional<OffsetDateTime> effectiveTime(Observation observation) {
        if (!observation.hasEffectiveDateTimeType()) {
            return Optional.empty();
        }
        String text = observation.getEffectiveDateTimeType().getValueAsString();
        try {
            if (text.length() == 10) {
                return Optional.of(LocalDate.parse(text).atStartOfDay().atOffset(ZoneOffset.UTC));
            }
            if (text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return Optional.of(OffsetDateTime.parse(text));
            }
            return Optional.of(LocalDateTime.parse(text).atOffset(ZoneOffset.UTC));
        } catch (RuntimeException e) {
            throw new FhirMappingException("Observation.effectiveDateTime", "cannot read '" + text + "'");
        }
    }

    private static DateTimeType dateTime(OffsetDateTime time) {
        DateTimeType type = new DateTimeType(Date.from(time.toInstant()),
                time.getNano() == 0 ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI,
                TimeZone.getTimeZone(time.getOffset()));
        return type;
    }

    /** A FHIR id ([A-Za-z0-9.-], at most 64 characters) derived from a record id. */
    static String fhirId(String recordId) {
        String id = recordId.replaceAll("[^A-Za-z0-9.-]", "-");
        return id.length() > 64 ? id.substring(id.length() - 64) : id;
    }

    /** The shortest decimal that reads back as the same float; E for missing. */
    static String decimal(float v) {
        if (Float.isNaN(v)) {
            return "E";
        }
        if (v == 0) {
            return Float.floatToRawIntBits(v) == 0 ? "0" : "-0";
        }
        return new BigDecimal(Float.toString(v)).stripTrailingZeros().toPlainString().toLowerCase(Locale.ROOT);
    }
}
