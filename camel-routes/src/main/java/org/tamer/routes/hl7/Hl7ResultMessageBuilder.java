package org.tamer.routes.hl7;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.tamer.fhir.terminology.EcgCodes;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.inference.ClassScore;
import org.tamer.runtime.inference.Diagnosis;
import org.tamer.runtime.inference.Interpretation;
import org.tamer.runtime.inference.OperatingPoints;

/**
 * Writes a zero-shot diagnosis as an HL7 v2 ORU^R01 result addressed back to the sender of the ECG, saying what the
 * FHIR result says ({@link Interpretation} at the model's operating points):
 *
 * <ul>
 *   <li>OBR for the ECG, result status P (preliminary: the result is AI-asserted and unconfirmed);</li>
 *   <li>OBX 1, coded, EKG impression (LOINC 8601-7, the FHIR diagnosis Observation's code): the overall reading,
 *       SNOMED CT 164854000 (ECG normal) or 102594003 (ECG abnormal), or text only when indeterminate; abnormal
 *       flag (OBX-8) N, A or IND; an NTE with the rule and how the operating points were chosen;</li>
 *   <li>one NM OBX per class, in the model's class order: the class in the local system {@code 99TAMER} (HL7
 *       table 0396 local prefix) with its SNOMED CT code as the alternate identifier where one exists (the same
 *       concept in two systems, never another finding), the calibrated probability with unit {@code 1} (UCUM),
 *       OBX-8 POS when the class is a finding (its probability reached its operating point) and NEG when not, and
 *       an NTE naming the operating point.</li>
 * </ul>
 *
 * Coded values are CE before v2.5, CWE from v2.5.
 */
public final class Hl7ResultMessageBuilder {

    public static final String CLASS_SYSTEM = "99TAMER";
    /** HL7 table 0396's name for SNOMED CT. */
    public static final String SNOMED_SYSTEM = "SCT";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    /**
     * A class's SNOMED CT concept.
     *
     * @param code    the SNOMED CT concept id
     * @param display its term
     */
    public record SnomedConcept(String code, String display) {
        public SnomedConcept {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(display, "display");
        }
    }

    private final String applicationName;
    private final String facilityName;
    private final Function<String, String> classDisplay;
    private final Function<String, Optional<SnomedConcept>> snomed;
    private final String normalClass;

    /**
     * @param classDisplay a class code's human-readable name (e.g. from the prompt dictionary)
     * @param snomed       a class code's SNOMED CT concept, when the terminology maps it to one
     * @param normalClass  the class that alone among the findings means "normal" (e.g. {@code NORM})
     */
    public Hl7ResultMessageBuilder(String applicationName, String facilityName, Function<String, String> classDisplay,
                                   Function<String, Optional<SnomedConcept>> snomed, String normalClass) {
        this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
        this.facilityName = Objects.requireNonNull(facilityName, "facilityName");
        this.classDisplay = Objects.requireNonNull(classDisplay, "classDisplay");
        this.snomed = Objects.requireNonNull(snomed, "snomed");
        this.normalClass = Objects.requireNonNull(normalClass, "normalClass");
    }

    /**
     * @param source    header of the message the ECG came in (its sender becomes the receiver; its version is kept)
     * @param points    the operating points the result is read at (the bundle's, with the deployment's overrides)
     * @param controlId MSH-10 of the result
     */
    public String build(MessageHeader source, EcgRecord record, Diagnosis diagnosis, OperatingPoints points,
                        String controlId, ZonedDateTime issued) {
        Hl7Text text = Hl7Text.standard();
        String version = source.version();
        String coded = version.startsWith("2.3") || version.startsWith("2.4") ? "CE" : "CWE";
        String time = TS.format(issued.withZoneSameInstant(ZoneOffset.UTC));
        StringBuilder m = new StringBuilder(2048);
        m.append("MSH|^~\\&|").append(text.escape(applicationName)).append('|').append(text.escape(facilityName))
                .append('|').append(text.escape(source.sendingApplication())).append('|')
                .append(text.escape(source.sendingFacility())).append('|').append(time)
                .append("||ORU^R01^ORU_R01|").append(text.escape(controlId)).append('|')
                .append(source.processingId().isEmpty() ? "P" : source.processingId()).append('|').append(version)
                .append("|||AL|NE\r");
        record.subjectReference().ifPresent(subject -> m.append("PID|1||")
                .append(text.escape(subject.substring(subject.indexOf('/') + 1))).append("\r"));
        m.append("OBR|1||").append(text.escape(record.id())).append("|11524-6^EKG study^LN|||")
                .append(record.acquisitionTime().map(t -> TS.format(t.withOffsetSameInstant(ZoneOffset.UTC)))
                        .orElse(time))
                .append("|||||||||||||||").append(time).append("||EC|P\r");

        Interpretation reading = Interpretation.of(diagnosis, points, normalClass);
        String impression = switch (reading.overall()) {
            case NORMAL -> EcgCodes.SNOMED_ECG_NORMAL + "^Electrocardiogram normal^" + SNOMED_SYSTEM;
            case ABNORMAL -> EcgCodes.SNOMED_ECG_ABNORMAL + "^Electrocardiogram abnormal^" + SNOMED_SYSTEM;
            case INDETERMINATE -> "^" + text.escape("Indeterminate: no class reached its operating point");
        };
        String flag = switch (reading.overall()) {
            case NORMAL -> "N";
            case ABNORMAL -> "A";
            case INDETERMINATE -> "IND";
        };
        int set = 1;
        m.append("OBX|").append(set++).append('|').append(coded).append('|').append(EcgCodes.LOINC_EKG_IMPRESSION)
                .append("^EKG impression^LN|1|")
                .append(impression).append("|||").append(flag).append("|||P|||").append(time).append("\r");
        m.append("NTE|1||").append(text.escape("A class is a finding when its calibrated probability reaches its "
                + "operating point (" + (points.method().isEmpty() ? "no operating points in the bundle: "
                + OperatingPoints.DEFAULT_THRESHOLD + " for every class" : points.method()) + "); normal only when "
                + normalClass + " is the sole finding, abnormal when any other class is one, indeterminate when "
                + "none is")).append("\r");
        for (ClassScore score : diagnosis.scores()) {
            double threshold = points.thresholdOf(score.code());
            boolean finding = score.probability() >= threshold;
            m.append("OBX|").append(set++).append("|NM|").append(classCode(score.code(), text)).append("|1|")
                    .append(String.format(Locale.ROOT, "%.4f", score.probability()))
                    .append("|1^^UCUM||").append(finding ? "POS" : "NEG").append("|||P|||").append(time)
                    .append("\r");
            m.append("NTE|1||").append(text.escape(String.format(Locale.ROOT, "%s: probability %.4f %s the "
                    + "operating point %.4f", finding ? "finding" : "not a finding", score.probability(),
                    finding ? "reached" : "is below", threshold))).append("\r");
        }
        return m.toString();
    }

    /** The class in the local system, with its SNOMED CT concept as the alternate identifier where one exists. */
    private String classCode(String classCode, Hl7Text text) {
        String local = text.escape(classCode) + "^" + text.escape(truncate(classDisplay.apply(classCode))) + "^"
                + CLASS_SYSTEM;
        return snomed.apply(classCode).map(c -> local + "^" + text.escape(c.code()) + "^"
                + text.escape(truncate(c.display())) + "^" + SNOMED_SYSTEM).orElse(local);
    }

    private static String truncate(String display) {
        return display.length() <= 199 ? display : display.substring(0, 199);
    }
}
