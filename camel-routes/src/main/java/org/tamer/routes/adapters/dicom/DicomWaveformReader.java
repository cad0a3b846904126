package org.tamer.routes.adapters.dicom;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tamer.routes.adapters.AdapterFiles;
import org.tamer.routes.adapters.EcgFormatException;
import org.tamer.runtime.ecg.DecoderLimits;
import org.tamer.runtime.ecg.EcgRecord;
import org.tamer.runtime.ecg.EcgSignal;
import org.tamer.runtime.ecg.Lead;
import org.tamer.runtime.ecg.SourceMetadata;
import org.tamer.runtime.ecg.StandardLead;

/**
 * Reads DICOM 12-lead ECG Waveform Storage (1.2.840.10008.5.1.4.1.1.9.1.1) and General ECG Waveform Storage
 * (…9.1.2) files: the first ORIGINAL multiplex group of the Waveform Sequence, its channels identified by their
 * channel source codes (DICOM CID 3001: MDC {@code 2:n} or SCP-ECG {@code 5.6.3-9-n}, or the code meaning "Lead
 * X"), 16-bit signed multiplexed samples scaled as (sample + baseline) × sensitivity × correction in the channel's
 * units. Free-text and coded waveform annotations become the report.
 */
public final class DicomWaveformReader {

    public static final String FORMAT = "DICOM ECG waveform";
    private static final String TWELVE_LEAD = "1.2.840.10008.5.1.4.1.1.9.1.1";
    private static final String GENERAL_ECG = "1.2.840.10008.5.1.4.1.1.9.1.2";
    private static final Pattern CODE_NUMBER = Pattern.compile("^(?:2:|5\\.6\\.3-9-)(\\d+)$");
    private static final Pattern MEANING = Pattern.compile("(?i)^lead\\s+(\\S+)");
    private static final Map<Integer, StandardLead> LEADS = Map.ofEntries(Map.entry(1, StandardLead.I),
            Map.entry(2, StandardLead.II), Map.entry(61, StandardLead.III), Map.entry(62, StandardLead.AVR),
            Map.entry(63, StandardLead.AVL), Map.entry(64, StandardLead.AVF), Map.entry(3, StandardLead.V1),
            Map.entry(4, StandardLead.V2), Map.entry(5, StandardLead.V3), Map.entry(6, StandardLead.V4),
            Map.entry(7, StandardLead.V5), Map.entry(8, StandardLead.V6));

    private static final int SOP_CLASS = DicomDataset.tag(0x0008, 0x0016);
    private static final int SOP_INSTANCE = DicomDataset.tag(0x0008, 0x0018);
    private static final int ACQUISITION_DATETIME = DicomDataset.tag(0x0008, 0x002A);
    private static final int MANUFACTURER = DicomDataset.tag(0x0008, 0x0070);
    private static final int MODEL = DicomDataset.tag(0x0008, 0x1090);
    private static final int WAVEFORM_SEQUENCE = DicomDataset.tag(0x5400, 0x0100);
    private static final int ORIGINALITY = DicomDataset.tag(0x003A, 0x0004);
    private static final int CHANNELS = DicomDataset.tag(0x003A, 0x0005);
    private static final int SAMPLES = DicomDataset.tag(0x003A, 0x0010);
    private static final int FREQUENCY = DicomDataset.tag(0x003A, 0x001A);
    private static final int CHANNEL_DEFINITIONS = DicomDataset.tag(0x003A, 0x0200);
    private static final int CHANNEL_SOURCE = DicomDataset.tag(0x003A, 0x0208);
    private static final int SENSITIVITY = DicomDataset.tag(0x003A, 0x0210);
    private static final int SENSITIVITY_UNITS = DicomDataset.tag(0x003A, 0x0211);
    private static final int CORRECTION = DicomDataset.tag(0x003A, 0x0212);
    private static final int BASELINE = DicomDataset.tag(0x003A, 0x0213);
    private static final int BITS_ALLOCATED = DicomDataset.tag(0x5400, 0x1004);
    private static final int INTERPRETATION = DicomDataset.tag(0x5400, 0x1006);
    private static final int WAVEFORM_DATA = DicomDataset.tag(0x5400, 0x1010);
    private static final int ANNOTATIONS = DicomDataset.tag(0x0040, 0xB020);
    private static final int TEXT = DicomDataset.tag(0x0070, 0x0006);
    private static final int CONCEPT_CODE = DicomDataset.tag(0x0040, 0xA168);
    private static final int NUMERIC = DicomDataset.tag(0x0040, 0xA30A);
    private static final int CODE_VALUE = DicomDataset.tag(0x0008, 0x0100);
    private static final int CODE_MEANING = DicomDataset.tag(0x0008, 0x0104);

    /** Whether the start of a file is a DICOM Part 10 file. */
    public static boolean accepts(byte[] head) {
        return head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
    }

    private final DecoderLimits limits;

    public DicomWaveformReader() {
        this(DecoderLimits.defaults());
    }

    public DicomWaveformReader(DecoderLimits limits) {
        this.limits = java.util.Objects.requireNonNull(limits, "limits");
    }

    public EcgRecord read(Path file) {
        return read(AdapterFiles.readBytes(file, file.toString()), file.toString());
    }

    public EcgRecord read(byte[] bytes, String source) {
        DicomDataset d = new DicomParser(bytes, source, limits).parse();
        String sopClass = d.string(SOP_CLASS).orElseThrow(() -> new EcgFormatException(source,
                "(0008,0016) SOPClassUID", "missing"));
        if (!sopClass.equals(TWELVE_LEAD) && !sopClass.equals(GENERAL_ECG)) {
            throw new EcgFormatException(source, "(0008,0016) SOPClassUID", "'" + sopClass
                    + "' is not 12-lead or general ECG waveform storage");
        }
        List<DicomDataset> groups = d.sequence(WAVEFORM_SEQUENCE);
        DicomDataset group = groups.stream().filter(g -> g.string(ORIGINALITY).orElse("ORIGINAL").equals("ORIGINAL"))
                .findFirst().orElseThrow(() -> new EcgFormatException(source, "(5400,0100) WaveformSequence",
                        "no ORIGINAL multiplex group"));
        int channels = group.unsignedShort(CHANNELS).orElseThrow(() -> missing(source, "(003A,0005) "
                + "NumberOfWaveformChannels"));
        long samples = group.unsignedLong(SAMPLES).orElseThrow(() -> missing(source, "(003A,0010) "
                + "NumberOfWaveformSamples"));
        double rate = number(group.string(FREQUENCY), source, "(003A,001A) SamplingFrequency");
        int bits = group.unsignedShort(BITS_ALLOCATED).orElse(16);
        String interpretation = group.string(INTERPRETATION).orElse("SS");
        if (bits != 16 || !interpretation.equals("SS")) {
            throw new EcgFormatException(source, "(5400,1004)/(5400,1006)", "samples of " + bits + " bits, "
                    + interpretation + " are not supported (16-bit signed, SS)");
        }
        byte[] data = group.get(WAVEFORM_DATA).map(DicomDataset.Element::value).orElseThrow(() ->
                missing(source, "(5400,1010) WaveformData"));
        Optional<String> tooLarge = limits.signalViolation(channels, samples);
        if (tooLarge.isPresent()) {
            throw new EcgFormatException(source, "(003A,0005)/(003A,0010) NumberOfWaveformChannels/Samples",
                    tooLarge.get());
        }
        if (data.length < channels * samples * 2) {
            throw new EcgFormatException(source, "(5400,1010) WaveformData", data.length + " bytes hold fewer than "
                    + channels + " channels x " + samples + " samples x 2 bytes: truncated");
        }
        List<DicomDataset> definitions = group.sequence(CHANNEL_DEFINITIONS);
        if (definitions.size() != channels) {
            throw new EcgFormatException(source, "(003A,0200) ChannelDefinitionSequence", definitions.size()
                    + " channel definitions for " + channels + " channels");
        }
        List<Lead> leads = new ArrayList<>();
        float[][] millivolts = new float[channels][(int) samples];
        for (int c = 0; c < channels; c++) {
            DicomDataset def = definitions.get(c);
            String field = "(003A,0200) channel " + (c + 1);
            leads.add(lead(def, source, field));
            double sensitivity = number(def.string(SENSITIVITY), source, field + " (003A,0210) ChannelSensitivity");
            Optional<String> correctionText = def.string(CORRECTION).filter(s -> !s.isEmpty());
            double correction = correctionText.isEmpty() ? 1.0
                    : number(correctionText, source, field + " (003A,0212) ChannelSensitivityCorrectionFactor");
            Optional<String> baselineText = def.string(BASELINE).filter(s -> !s.isEmpty());
            double baseline = baselineText.isEmpty() ? 0.0
                    : number(baselineText, source, field + " (003A,0213) ChannelBaseline");
            String unit = def.sequence(SENSITIVITY_UNITS).stream().findFirst().flatMap(u -> u.string(CODE_VALUE))
                    .orElse("uV");
            double scale = sensitivity * correction * switch (unit) {
                case "uV" -> 1e-3;
                case "mV" -> 1.0;
                case "V" -> 1e3;
                default -> throw new EcgFormatException(source, field + " (003A,0211) ChannelSensitivityUnits",
                        "'" + unit + "' is not a voltage unit");
            };
            for (int t = 0; t < samples; t++) {
                int p = 2 * (t * channels + c);
                short raw = (short) ((data[p] & 0xff) | (data[p + 1] & 0xff) << 8);
                millivolts[c][t] = (float) ((raw + baseline) * scale);
            }
        }
        EcgSignal signal;
        try {
            signal = EcgSignal.adopt(rate, leads, millivolts);
        } catch (IllegalArgumentException e) {
            throw new EcgFormatException(source, "(003A,0200) ChannelDefinitionSequence", e.getMessage(), e);
        }
        List<String> statements = new ArrayList<>();
        for (DicomDataset annotation : d.sequence(ANNOTATIONS)) {
            annotation.string(TEXT).filter(s -> !s.isEmpty()).ifPresent(statements::add);
            if (annotation.get(NUMERIC).isEmpty()) {
                annotation.sequence(CONCEPT_CODE).stream().findFirst().flatMap(c -> c.string(CODE_MEANING))
                        .filter(s -> !s.isEmpty()).ifPresent(statements::add);
            }
        }
        String device = (d.string(MANUFACTURER).orElse("") + " " + d.string(MODEL).orElse("")).trim();
        return new EcgRecord(d.string(SOP_INSTANCE).orElse(Path.of(source).getFileName().toString()),
                Optional.empty(), Optional.empty(), time(d.string(ACQUISITION_DATETIME)), signal,
                statements.isEmpty() ? Optional.empty() : Optional.of(String.join(". ", statements) + "."),
                new SourceMetadata(FORMAT, Optional.of(source), Optional.of(device).filter(s -> !s.isEmpty())));
    }

    private static Lead lead(DicomDataset definition, String source, String field) {
        DicomDataset code = definition.sequence(CHANNEL_SOURCE).stream().findFirst().orElseThrow(() ->
                new EcgFormatException(source, field + " (003A,0208) ChannelSourceSequence", "missing"));
        Matcher number = CODE_NUMBER.matcher(code.string(CODE_VALUE).orElse(""));
        if (number.matches() && LEADS.containsKey(Integer.parseInt(number.group(1)))) {
            return LEADS.get(Integer.parseInt(number.group(1)));
        }
        String meaning = code.string(CODE_MEANING).orElse("");
        Matcher m = MEANING.matcher(meaning);
        if (m.find()) {
            return Lead.parse(m.group(1)); // \S+: never blank
        }
        throw new EcgFormatException(source, field + " (003A,0208) ChannelSourceSequence", "code '"
                + code.string(CODE_VALUE).orElse("") + "' (" + meaning + ") is not an ECG lead of DICOM CID 3001");
    }

    private static Optional<OffsetDateTime> time(Optional<String> value) {
        if (value.isEmpty() || value.get().length() < 14) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDateTime.parse(value.get().substring(0, 14),
                    DateTimeFormatter.ofPattern("yyyyMMddHHmmss")).atOffset(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static double number(Optional<String> value, String source, String field) {
        String text = value.orElseThrow(() -> missing(source, field));
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new EcgFormatException(source, field, "not a number: '" + text + "'", e);
        }
    }

    private static EcgFormatException missing(String source, String field) {
        return new EcgFormatException(source, field, "missing");
    }
}
