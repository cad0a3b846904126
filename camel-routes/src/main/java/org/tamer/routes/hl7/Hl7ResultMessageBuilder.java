package org.tamer.routes.hl7;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.inference.ClassScore;
import org.tamer.runtime.inference.Diagnosis;

/**
 * Writes a zero-shot diagnosis as an HL7 v2 ORU^R01 result addressed back to the sender of the ECG: an OBR for the
 * ECG (result status P, preliminary: the result is AI-asserted and unconfirmed), a coded OBX with the top class
 * (EKG impression, LOINC 18844-1) and one NM OBX per class with its calibrated probability. Classes are coded in
 * the local system {@code 99TAMER} (HL7 table 0396 local prefix) with their descriptions as text. Coded values
 * are CE before v2.5, CWE from v2.5.
 */
public final class Hl7ResultMessageBuilder {

    public static final String CLASS_SYSTEM = "99TAMER";
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final String applicationName;
    private final String facilityName;
    private final Function<String, String> classDisplay;

    /** @param classDisplay a class code's human-readable name (e.g. from the prompt dictionary) */
    public Hl7ResultMessageBuilder(String applicationName, String facilityName, Function<String, String> classDisplay) {
        this.applicationName = Objects.requireNonNull(applicationName, "applicationName");
        this.facilityName = Objects.requireNonNull(facilityName, "facilityName");
        this.classDisplay = Objects.requireNonNull(classDisplay, "classDisplay");
    }

    /**
     * @param source    header of the message the ECG came in (its sender becomes the receiver; its version is kept)
     * @param controlId MSH-10 of the result
     */
    public String build(MessageHeader source, EcgRecord record, Diagnosis diagnosis, String controlId,
                        ZonedDateTime issued) {
        Hl7Text text = Hl7Text.standard();
        String version = source.version();
        String coded = version.startsWith("2.3") || version.startsWith("2.4") ? "CE" : "CWE";
        String time = TS.format(issued.withZoneSameInstant(ZoneOffset.UTC));
        StringBuilder m = new StringBuilder(1024);
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
        ClassScore top = diagnosis.top(1).get(0);
        int set = 1;
        m.append("OBX|").append(set++).append('|').append(coded).append("|18844-1^EKG impression^LN|1|")
                .append(code(top.code(), text)).append("||||||P|||").append(time).append("\r");
        for (ClassScore score : diagnosis.scores()) {
            m.append("OBX|").append(set++).append("|NM|").append(code(score.code(), text)).append("|2|")
                    .append(String.format(Locale.ROOT, "%.4f", score.probability()))
                    .append("|1^^UCUM|||||P|||").append(time).append("\r");
        }
        return m.toString();
    }

    private String code(String classCode, Hl7Text text) {
        return text.escape(classCode) + "^" + text.escape(truncate(classDisplay.apply(classCode))) + "^" + CLASS_SYSTEM;
    }

    private static String truncate(String display) {
        return display.length() <= 199 ? display : display.substring(0, 199);
    }
}
