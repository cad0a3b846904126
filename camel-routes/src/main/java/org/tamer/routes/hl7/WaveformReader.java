package org.tamer.routes.hl7;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.tamer.fhir.terminology.MdcLeadCodes;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.OtherLead;
import org.tamer.runtime.ecg.StandardLead;

/**
 * Decodes the waveform OBX segments of one message into an {@link EcgSignal}. Chapter 7 style when any OBX has value
 * type CD; otherwise IHE PCD-01 style (NA segments whose OBX-3 is an MDC lead code). Not thread-safe: one per message.
 */
final class WaveformReader {

    private static final Set<String> SAMPLING_RATE = Set.of("68220", "MDC_ATTR_SAMP_RATE");
    private static final Set<String> SAMPLING_PERIOD = Set.of("67980", "MDC_ATTR_TIME_PD_SAMP");

    private final MessageHeader header;
    private final MdcLeadCodes leadCodes;
    private final DecoderLimits limits;
    private final char component;
    private final char subcomponent;
    private final char repetition;
    private Optional<OffsetDateTime> startTime = Optional.empty();

    WaveformReader(MessageHeader header, MdcLeadCodes leadCodes, DecoderLimits limits) {
        this.header = header;
        this.leadCodes = leadCodes;
        this.limits = limits;
        this.component = header.componentSeparator();
        this.repetition = header.encodingCharacters().charAt(1);
        this.subcomponent = header.encodingCharacters().charAt(3);
    }

    /** The start time of the first chapter 7 channel group (its TS OBX), once {@link #read} has run. */
    Optional<OffsetDateTime> startTime() {
        return startTime;
    }

    EcgSignal read(List<ObxSegment> observations) {
        if (observations.stream().anyMatch(o -> "CD".equals(o.valueType()))) {
            return chapter7(observations);
        }
        if (observations.stream().anyMatch(o -> "NA".equals(o.valueType()))) {
            return pcd01(observations);
        }
        throw Hl7MessageException.error("OBX-2", Hl7Error.REQUIRED_FIELD_MISSING, "the message carries no waveform: "
                + "expected CD, TS and MA or NA OBX segments (HL7 v2 chapter 7) or NA OBX segments with MDC lead codes "
                + "(IHE PCD-01)");
    }

    // ---- chapter 7 ----

    private record Channel(Lead lead, double millivoltsPerDigit, double baseline, double rateHz, ObxSegment source) {
    }

    private static final class Group {
        final List<Channel> channels = new ArrayList<>();
        final List<ObxSegment> data = new ArrayList<>();
    }

    private EcgSignal chapter7(List<ObxSegment> observations) {
        Map<String, Group> groups = new LinkedHashMap<>();
        int channelCount = 0;
        for (ObxSegment o : observations) {
            switch (o.valueType()) {
                case "CD" -> {
                    List<Channel> defined = channels(o);
                    channelCount += defined.size();
                    if (channelCount > limits.maxLeads()) {
                        throw Hl7MessageException.error(o.location(5), Hl7Error.DATA_TYPE_ERROR, DecoderLimits
                                .exceeded("more than " + limits.maxLeads() + " channels", "max-leads",
                                        limits.maxLeads()));
                    }
                    groups.computeIfAbsent(o.subId(), k -> new Group()).channels.addAll(defined);
                }
                case "TS", "DTM" -> {
                    if (startTime.isEmpty()) {
                        startTime = Hl7Time.parse(first(o.value(), component));
                    }
                }
                case "MA", "NA" -> groups.computeIfAbsent(o.subId(), k -> new Group()).data.add(o);
                default -> {
                }
            }
        }
        List<Lead> leads = new ArrayList<>();
        List<float[]> samples = new ArrayList<>();
        double rate = Double.NaN;
        for (var entry : groups.entrySet()) {
            if (entry.getValue().channels.isEmpty()) {
                throw Hl7MessageException.error(entry.getValue().data.get(0).location(4),
                        Hl7Error.SEGMENT_SEQUENCE_ERROR, "waveform data of OBX-4 '" + entry.getKey()
                                + "' has no CD channel definition in the same OBX-4 group");
            }
        }
        for (var entry : groups.entrySet()) {
            Group group = entry.getValue();
            String sub = "OBX-4 '" + entry.getKey() + "'";
            if (group.data.isEmpty()) {
                throw Hl7MessageException.error(group.channels.get(0).source().location(4),
                        Hl7Error.REQUIRED_FIELD_MISSING, "channels of " + sub + " have no MA or NA data");
            }
            List<float[]> groupSamples = group.data.get(0).valueType().equals("MA") && group.data.size() == 1
                    ? multiplexed(group) : perChannel(group);
            for (int c = 0; c < group.channels.size(); c++) {
                Channel channel = group.channels.get(c);
                if (!Double.isNaN(rate) && channel.rateHz() != rate) {
                    throw Hl7MessageException.error(channel.source().location(5, 5), Hl7Error.DATA_TYPE_ERROR,
                            "channel " + channel.lead().label() + " is sampled at " + channel.rateHz()
                                    + " Hz but earlier channels at " + rate + " Hz");
                }
                rate = channel.rateHz();
                leads.add(channel.lead());
                samples.add(groupSamples.get(c));
            }
        }
        return signal(rate, leads, samples, observations.get(0));
    }

    /**
     * The channels one CHN OBX defines: OBX-5 may repeat, one CD per channel, and a repetition that leaves out the
     * sensitivity/units, a calibration parameter or the sampling frequency takes the value of the last repetition
     * that gave it (the "sticky defaults" of HL7 v2 chapter 7, CHN category).
     */
    private List<Channel> channels(ObxSegment o) {
        String[] repetitions = split(o.value(), repetition);
        if (repetitions.length <= 1) {
            return List.of(channel(o, split(o.value(), component), true));
        }
        List<Channel> channels = new ArrayList<>();
        String sensitivity = "";
        String correction = "";
        String baseline = "";
        String rate = "";
        for (String cd : repetitions) {
            String[] parts = java.util.Arrays.copyOf(split(cd, component), 6);
            for (int i = 0; i < parts.length; i++) {
                parts[i] = parts[i] == null ? "" : parts[i];
            }
            sensitivity = parts[2].isBlank() ? sensitivity : parts[2];
            String[] calibration = split(parts[3], subcomponent);
            correction = part(calibration, 0).isBlank() ? correction : part(calibration, 0);
            baseline = part(calibration, 1).isBlank() ? baseline : part(calibration, 1);
            rate = parts[4].isBlank() ? rate : parts[4];
            parts[2] = sensitivity;
            parts[3] = correction + subcomponent + baseline;
            parts[4] = rate;
            channels.add(channel(o, parts, false));
        }
        return channels;
    }

    /** One CD; {@code alone}: the only channel of its OBX, so an MDC lead code in OBX-3 may name it. */
    private Channel channel(ObxSegment o, String[] parts, boolean alone) {
        String[] identifier = split(part(parts, 0), subcomponent);
        String name = identifier.length > 1 ? identifier[1].strip() : "";
        Lead lead = StandardLead.find(name).map(l -> (Lead) l)
                .or(() -> alone ? leadCodes.lead(first(o.observationId(), component)).map(l -> (Lead) l)
                        : Optional.empty())
                .or(() -> name.isEmpty() ? Optional.empty() : Optional.of(new OtherLead(name)))
                .orElseThrow(() -> Hl7MessageException.error(o.location(5, 1), Hl7Error.REQUIRED_FIELD_MISSING,
                        "the channel definition names no lead (CD-1 channel name, or an MDC lead code in OBX-3)"));
        String[] sensitivity = split(part(parts, 2), subcomponent);
        double perDigit = 1;
        if (sensitivity.length > 0 && !sensitivity[0].isBlank()) {
            perDigit = number(sensitivity[0], o.location(5, 3), "channel sensitivity");
        }
        String unitId = sensitivity.length > 1 ? sensitivity[1] : "";
        String unitText = sensitivity.length > 2 ? sensitivity[2] : "";
        double unit = WaveformUnits.millivolts(unitId).or(() -> WaveformUnits.millivolts(unitText))
                .orElseThrow(() -> Hl7MessageException.error(o.location(5, 3), Hl7Error.TABLE_VALUE_NOT_FOUND,
                        "channel " + lead.label() + " has no voltage unit in its sensitivity ('" + part(parts, 2)
                                + "'); expected e.g. 1&uV or an MDC unit code"));
        String[] calibration = split(part(parts, 3), subcomponent);
        double correction = calibration.length > 0 && !calibration[0].isBlank()
                ? number(calibration[0], o.location(5, 4), "correction factor") : 1;
        double baseline = calibration.length > 1 && !calibration[1].isBlank()
                ? number(calibration[1], o.location(5, 4), "baseline") : 0;
        String rateText = part(parts, 4);
        if (rateText.isBlank()) {
            throw Hl7MessageException.error(o.location(5, 5), Hl7Error.REQUIRED_FIELD_MISSING,
                    "channel " + lead.label() + " has no sampling frequency");
        }
        double rate = number(rateText, o.location(5, 5), "sampling frequency");
        if (!(rate > 0)) {
            throw Hl7MessageException.error(o.location(5, 5), Hl7Error.DATA_TYPE_ERROR,
                    "channel " + lead.label() + " has sampling frequency " + rateText + "; it must be positive");
        }
        return new Channel(lead, perDigit * unit * correction, baseline, rate, o);
    }

    private List<float[]> multiplexed(Group group) {
        ObxSegment data = group.data.get(0);
        int channels = group.channels.size();
        checkSize(data, channels, count(data.value(), repetition));
        String[] times = split(data.value(), repetition);
        List<float[]> samples = new ArrayList<>(channels);
        for (int c = 0; c < channels; c++) {
            samples.add(new float[times.length]);
        }
        for (int t = 0; t < times.length; t++) {
            String[] values = split(times[t], component);
            if (values.length != channels) {
                throw Hl7MessageException.error(data.location(5), Hl7Error.DATA_TYPE_ERROR, "sample " + (t + 1)
                        + " of the multiplexed array has " + values.length + " values for " + channels + " channels");
            }
            for (int c = 0; c < channels; c++) {
                Channel channel = group.channels.get(c);
                samples.get(c)[t] = sample(values[c], channel.baseline(), channel.millivoltsPerDigit(), data, t,
                        channel.lead());
            }
        }
        return samples;
    }

    private List<float[]> perChannel(Group group) {
        if (group.data.size() != group.channels.size()) {
            throw Hl7MessageException.error(group.data.get(0).location(4), Hl7Error.SEGMENT_SEQUENCE_ERROR,
                    "OBX-4 group '" + group.data.get(0).subId() + "' defines " + group.channels.size()
                            + " channels but has " + group.data.size() + " data segments; expected one MA segment or "
                            + "one NA segment per channel");
        }
        List<float[]> samples = new ArrayList<>();
        for (int c = 0; c < group.channels.size(); c++) {
            Channel channel = group.channels.get(c);
            samples.add(array(group.data.get(c), channel.lead(), channel.baseline(), channel.millivoltsPerDigit(),
                    c + 1));
        }
        return samples;
    }

    // ---- IHE PCD-01 ----

    private EcgSignal pcd01(List<ObxSegment> observations) {
        double rate = Double.NaN;
        List<Lead> leads = new ArrayList<>();
        List<float[]> samples = new ArrayList<>();
        Set<Lead> seen = new HashSet<>();
        for (ObxSegment o : observations) {
            String[] id = split(o.observationId(), component);
            String code = part(id, 0).strip();
            String name = part(id, 1).strip();
            if (SAMPLING_RATE.contains(code) || SAMPLING_RATE.contains(name)) {
                rate = number(first(o.value(), component), o.location(5), "sampling rate");
            } else if (SAMPLING_PERIOD.contains(code) || SAMPLING_PERIOD.contains(name)) {
                double period = number(first(o.value(), component), o.location(5), "sampling period");
                String unit = (part(split(o.units(), component), 0) + " " + part(split(o.units(), component), 1));
                double seconds = unit.contains("264338") || unit.contains("MILLI_SEC") || unit.contains("ms") ? 1e-3
                        : unit.contains("264352") || unit.contains("MICRO_SEC") || unit.contains("us") ? 1e-6 : 1;
                rate = 1 / (period * seconds);
            } else if ("NA".equals(o.valueType())) {
                Lead lead = leadCodes.lead(code).map(l -> (Lead) l)
                        .orElseThrow(() -> Hl7MessageException.error(o.location(3), Hl7Error.TABLE_VALUE_NOT_FOUND,
                                "'" + o.observationId() + "' is not an MDC ECG lead code (e.g. 131329 "
                                        + "MDC_ECG_ELEC_POTL_I or 131073 MDC_ECG_LEAD_I)"));
                if (!seen.add(lead)) {
                    throw Hl7MessageException.error(o.location(3), Hl7Error.DATA_TYPE_ERROR,
                            "lead " + lead.label() + " occurs twice");
                }
                if (seen.size() > limits.maxLeads()) {
                    throw Hl7MessageException.error(o.location(3), Hl7Error.DATA_TYPE_ERROR, DecoderLimits.exceeded(
                            "more than " + limits.maxLeads() + " leads", "max-leads", limits.maxLeads()));
                }
                if (o.units().isBlank()) {
                    throw Hl7MessageException.error(o.location(6), Hl7Error.REQUIRED_FIELD_MISSING,
                            "lead " + lead.label() + " has no units");
                }
                String[] units = split(o.units(), component);
                Optional<Double> byCode = WaveformUnits.millivolts(part(units, 0));
                Optional<Double> byName = WaveformUnits.millivolts(part(units, 1));
                if (byCode.isPresent() && byName.isPresent() && !byCode.equals(byName)) {
                    throw Hl7MessageException.error(o.location(6), Hl7Error.DATA_TYPE_ERROR, "units '" + o.units()
                            + "' of lead " + lead.label() + ": the code and the name are different units (MDC: "
                            + "266418 is MDC_DIM_MILLI_VOLT, 266419 MDC_DIM_MICRO_VOLT)");
                }
                double perDigit = byCode.or(() -> byName).orElseThrow(() -> Hl7MessageException.error(o.location(6),
                        Hl7Error.TABLE_VALUE_NOT_FOUND, "'" + o.units() + "' is not a voltage unit (e.g. 266419^"
                                + "MDC_DIM_MICRO_VOLT^MDC or 10.mV/4096)"));
                leads.add(lead);
                samples.add(array(o, lead, 0, perDigit, samples.size() + 1));
            }
        }
        if (leads.isEmpty()) {
            throw Hl7MessageException.error("OBX-3", Hl7Error.REQUIRED_FIELD_MISSING,
                    "no NA OBX segment carries an MDC lead code in OBX-3");
        }
        if (Double.isNaN(rate)) {
            throw Hl7MessageException.error("OBX-3", Hl7Error.REQUIRED_FIELD_MISSING, "no OBX gives the sampling "
                    + "rate (68220^MDC_ATTR_SAMP_RATE) or period (67980^MDC_ATTR_TIME_PD_SAMP)");
        }
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw Hl7MessageException.error("OBX-5", Hl7Error.DATA_TYPE_ERROR, "sampling rate " + rate
                    + " Hz is not positive");
        }
        return signal(rate, leads, samples, observations.get(0));
    }

    // ---- shared ----

    private EcgSignal signal(double rate, List<Lead> leads, List<float[]> samples, ObxSegment first) {
        Set<Lead> distinct = new HashSet<>(leads);
        if (distinct.size() != leads.size()) {
            throw Hl7MessageException.error("OBX-5", Hl7Error.DATA_TYPE_ERROR, "a lead is defined twice: " + leads);
        }
        int length = samples.get(0).length;
        for (int c = 1; c < samples.size(); c++) {
            if (samples.get(c).length != length) {
                throw Hl7MessageException.error("OBX-5", Hl7Error.DATA_TYPE_ERROR, "lead " + leads.get(c).label()
                        + " has " + samples.get(c).length + " samples but lead " + leads.get(0).label() + " has "
                        + length);
            }
        }
        if (length == 0) {
            throw Hl7MessageException.error(first.location(5), Hl7Error.REQUIRED_FIELD_MISSING,
                    "the waveform has no samples");
        }
        try {
            return EcgSignal.adopt(rate, leads, samples.toArray(new float[0][]));
        } catch (IllegalArgumentException e) {
            throw Hl7MessageException.error("OBX-5", Hl7Error.DATA_TYPE_ERROR, e.getMessage(), e);
        }
    }

    /** One lead's samples; {@code leadNumber} counts it with the leads read before it, for the limits. */
    private float[] array(ObxSegment o, Lead lead, double baseline, double perDigit, int leadNumber) {
        checkSize(o, leadNumber, count(o.value(), component));
        String[] values = split(o.value(), component);
        float[] samples = new float[values.length];
        for (int t = 0; t < values.length; t++) {
            samples[t] = sample(values[t], baseline, perDigit, o, t, lead);
        }
        return samples;
    }

    private static float sample(String text, double baseline, double perDigit, ObxSegment o, int t, Lead lead) {
        if (text.isEmpty()) {
            return Float.NaN;
        }
        double digital;
        try {
            digital = Integers.parse(text);
        } catch (NumberFormatException notInteger) {
            try {
                digital = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw Hl7MessageException.error(o.location(5), Hl7Error.DATA_TYPE_ERROR, "sample " + (t + 1)
                        + " of lead " + lead.label() + " is '" + text + "', not a number");
            }
        }
        if (!Double.isFinite(digital)) {
            throw Hl7MessageException.error(o.location(5), Hl7Error.DATA_TYPE_ERROR, "sample " + (t + 1)
                    + " of lead " + lead.label() + " is '" + text + "', not a finite number");
        }
        return (float) ((digital - baseline) * perDigit);
    }

    private static double number(String text, String location, String what) {
        try {
            double value = Double.parseDouble(text.strip());
            if (Double.isFinite(value)) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw Hl7MessageException.error(location, Hl7Error.DATA_TYPE_ERROR, "the " + what + " '" + text
                + "' is not a number");
    }

    /** Refuses an array of {@code samples} samples per lead, or a lead beyond the limit, before it is split. */
    private void checkSize(ObxSegment o, int leads, long samples) {
        Optional<String> tooLarge = limits.signalViolation(leads, samples);
        if (tooLarge.isPresent()) {
            throw Hl7MessageException.error(o.location(5), Hl7Error.DATA_TYPE_ERROR, tooLarge.get());
        }
    }

    /** The number of parts {@link #split} would give. */
    private static long count(String value, char separator) {
        if (value.isEmpty()) {
            return 0;
        }
        long count = 1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == separator) {
                count++;
            }
        }
        return count;
    }

    private static String part(String[] parts, int index) {
        return parts.length > index ? parts[index] : "";
    }

    private static String first(String value, char separator) {
        int at = value.indexOf(separator);
        return at < 0 ? value : value.substring(0, at);
    }

    private static String[] split(String value, char separator) {
        if (value.isEmpty()) {
            return new String[0];
        }
        int count = 1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == separator) {
                count++;
            }
        }
        String[] parts = new String[count];
        int start = 0;
        int index = 0;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == separator) {
                parts[index++] = value.substring(start, i);
                start = i + 1;
            }
        }
        parts[index] = value.substring(start);
        return parts;
    }

    /** Integer parsing without exceptions for the common case. */
    private static final class Integers {
        static long parse(String s) {
            int i = 0;
            boolean negative = false;
            if (s.charAt(0) == '-' || s.charAt(0) == '+') {
                negative = s.charAt(0) == '-';
                i = 1;
            }
            if (i == s.length() || s.length() - i > 18) {
                throw new NumberFormatException(s);
            }
            long value = 0;
            for (; i < s.length(); i++) {
                int digit = s.charAt(i) - '0';
                if (digit < 0 || digit > 9) {
                    throw new NumberFormatException(s);
                }
                value = value * 10 + digit;
            }
            return negative ? -value : value;
        }
    }
}
