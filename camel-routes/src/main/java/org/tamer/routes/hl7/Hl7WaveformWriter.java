package org.tamer.routes.hl7;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.StandardLead;

/**
 * Writes an {@link EcgRecord} as an HL7 v2 ORU^R01 waveform message in one of the {@link WaveformStyle}s: what a
 * cart or an ECG management system sends the gateway. Used to build test fixtures and the demo sender from real
 * recordings (no public HL7 v2 12-lead sample exists). Missing samples are written as empty components.
 */
public final class Hl7WaveformWriter {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");
    private static final DateTimeFormatter MSH_TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final WaveformStyle style;
    private final String version;
    private final WaveformScale scale;
    private final String sendingApplication;
    private final String sendingFacility;
    private final Optional<String> acceptAckType;
    private final Optional<String> applicationAckType;
    private final MdcLeadCodes leadCodes = new MdcLeadCodes();

    public Hl7WaveformWriter(WaveformStyle style, String version, WaveformScale scale, String sendingApplication,
                             String sendingFacility) {
        this(style, version, scale, sendingApplication, sendingFacility, Optional.empty(), Optional.empty());
    }

    private Hl7WaveformWriter(WaveformStyle style, String version, WaveformScale scale, String sendingApplication,
                              String sendingFacility, Optional<String> acceptAckType,
                              Optional<String> applicationAckType) {
        this.style = Objects.requireNonNull(style, "style");
        if (!MessageHeader.SUPPORTED_VERSIONS.contains(version)) {
            throw new IllegalArgumentException("unsupported HL7 version " + version);
        }
        this.version = version;
        this.scale = Objects.requireNonNull(scale, "scale");
        this.sendingApplication = Objects.requireNonNull(sendingApplication, "sendingApplication");
        this.sendingFacility = Objects.requireNonNull(sendingFacility, "sendingFacility");
        this.acceptAckType = acceptAckType;
        this.applicationAckType = applicationAckType;
    }

    /** The same writer asking for enhanced-mode acknowledgements (MSH-15 and MSH-16, e.g. AL and NE). */
    public Hl7WaveformWriter withAcknowledgementTypes(String acceptType, String applicationType) {
        return new Hl7WaveformWriter(style, version, scale, sendingApplication, sendingFacility,
                Optional.of(acceptType), Optional.of(applicationType));
    }

    /** The message for {@code record}, with MSH-10 {@code controlId} and MSH-7 {@code messageTime}. */
    public String write(EcgRecord record, String controlId, ZonedDateTime messageTime) {
        Hl7Text text = Hl7Text.standard();
        EcgSignal signal = record.signal();
        StringBuilder m = new StringBuilder(signal.leadCount() * signal.length() * 6 + 1024);
        String event = "R01";
        m.append("MSH|^~\\&|").append(text.escape(sendingApplication)).append('|').append(text.escape(sendingFacility))
                .append("|TAMER|TAMER|").append(MSH_TS.format(messageTime.withZoneSameInstant(ZoneOffset.UTC)))
                .append("||ORU^").append(event).append("^ORU_R01|").append(text.escape(controlId)).append("|P|")
                .append(version);
        if (acceptAckType.isPresent()) {
            m.append("|||").append(acceptAckType.get()).append('|').append(applicationAckType.orElse(""));
        }
        m.append('\r');
        record.subjectReference().ifPresent(subject -> m.append("PID|1||")
                .append(text.escape(subject.substring(subject.indexOf('/') + 1))).append("^^^TAMER^MR\r"));
        String acquired = record.acquisitionTime().map(t -> TS.format(t.toZonedDateTime()))
                .orElse(TS.format(messageTime));
        m.append("OBR|1||").append(text.escape(record.id())).append("|11524-6^EKG study^LN|||").append(acquired)
                .append('\r');
        int[] setId = {1};
        switch (style) {
            case CHAPTER_7_MULTIPLEXED, CHAPTER_7_PER_CHANNEL -> chapter7(m, signal, acquired, setId);
            case IHE_PCD_01 -> pcd01(m, signal, setId);
            default -> throw new IllegalStateException(style.toString());
        }
        record.reportText().ifPresent(report -> m.append("OBX|").append(setId[0]++)
                .append("|TX|18844-1^EKG impression^LN||").append(text.escape(report)).append("||||||F\r"));
        return m.toString();
    }

    private void chapter7(StringBuilder m, EcgSignal signal, String acquired, int[] setId) {
        List<Lead> leads = signal.leads();
        String rate = number(signal.samplingRateHz());
        for (int c = 0; c < leads.size(); c++) {
            Lead lead = leads.get(c);
            m.append("OBX|").append(setId[0]++).append("|CD|").append(observationId(lead)).append("|1|")
                    .append(c + 1).append('&').append(lead.label()).append("^^").append(scale.sensitivityUnits())
                    .append("^1&0&0^").append(rate).append("^-32768&32767||||||F\r");
        }
        m.append("OBX|").append(setId[0]++).append("|TS|TIME^Waveform start time^HL7|1|").append(acquired)
                .append("||||||F\r");
        if (style == WaveformStyle.CHAPTER_7_MULTIPLEXED) {
            m.append("OBX|").append(setId[0]++).append("|MA|DATA^Waveform data^HL7|1|");
            for (int t = 0; t < signal.length(); t++) {
                if (t > 0) {
                    m.append('~');
                }
                for (int c = 0; c < leads.size(); c++) {
                    if (c > 0) {
                        m.append('^');
                    }
                    digit(m, signal.millivolts(c, t));
                }
            }
            m.append("||||||F\r");
        } else {
            for (int c = 0; c < leads.size(); c++) {
                m.append("OBX|").append(setId[0]++).append("|NA|").append(observationId(leads.get(c))).append("|1|");
                samples(m, signal, c);
                m.append("||||||F\r");
            }
        }
    }

    private void pcd01(StringBuilder m, EcgSignal signal, int[] setId) {
        m.append("OBX|").append(setId[0]++).append("|NM|68220^MDC_ATTR_SAMP_RATE^MDC|1.0.0.1|")
                .append(number(signal.samplingRateHz())).append("|264608^MDC_DIM_PER_SEC^MDC||||||F\r");
        for (int c = 0; c < signal.leadCount(); c++) {
            m.append("OBX|").append(setId[0]++).append("|NA|").append(observationId(signal.leads().get(c)))
                    .append("|1.0.0.").append(c + 2).append('|');
            samples(m, signal, c);
            m.append('|').append(scale.pcdUnits()).append("||||||F\r");
        }
    }

    private String observationId(Lead lead) {
        if (lead instanceof StandardLead standard) {
            return leadCodes.leadCode(standard) + "^MDC_ECG_LEAD_" + standard.label().toUpperCase(Locale.ROOT)
                    + "^MDC";
        }
        return lead.label() + "^" + lead.label() + "^L";
    }

    private void samples(StringBuilder m, EcgSignal signal, int lead) {
        for (int t = 0; t < signal.length(); t++) {
            if (t > 0) {
                m.append('^');
            }
            digit(m, signal.millivolts(lead, t));
        }
    }

    private void digit(StringBuilder m, float millivolts) {
        if (!Float.isNaN(millivolts)) {
            m.append(Math.round(millivolts / scale.millivoltsPerDigit()));
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
